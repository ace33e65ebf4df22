/**
 * Who applies, and from which revision: the actor comes from --actor, a CI system's variables, git config, or the
 * OS user — never blank. The source revision is the manifests' git commit (with `+dirty` when they have
 * uncommitted changes), or null outside git.
 */
import { execFile } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** CI variables naming who triggered the run, by system. */
const CI_ACTORS: Array<[string, string]> = [
  ['GITHUB_ACTOR', 'github'],
  ['GITLAB_USER_LOGIN', 'gitlab'],
  ['BUILDKITE_BUILD_CREATOR_EMAIL', 'buildkite'],
  ['CIRCLE_USERNAME', 'circleci'],
  ['BUILD_USER_ID', 'jenkins'],
];

async function git(args: string[], cwd?: string): Promise<string | null> {
  try {
    const { stdout } = await exec('git', cwd ? ['-C', cwd, ...args] : args, { timeout: 5000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

export async function resolveActor(explicit?: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (explicit?.trim()) return explicit.trim();
  for (const [name, system] of CI_ACTORS) {
    const v = env[name]?.trim();
    if (v) return `${system}:${v}`;
  }
  const email = (await git(['config', 'user.email'])) ?? (await git(['config', 'user.name']));
  if (email) return email;
  let user = 'unknown';
  try {
    user = userInfo().username || user;
  } catch {
    /* no passwd entry (containers): keep 'unknown' */
  }
  return `${user}@${hostname()}`;
}

export async function sourceRevision(dir: string): Promise<string | null> {
  const head = await git(['rev-parse', 'HEAD'], dir);
  if (!head) return null;
  const dirty = await git(['status', '--porcelain', '--', '.'], dir);
  return dirty ? `${head}+dirty` : head;
}
