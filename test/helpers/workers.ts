/**
 * `feedctl run` worker processes for tests that kill, stop or time them: each keeps its stderr in the lake folder
 * (`worker-<name>.log`) for post-mortems.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeedctlHarness } from './cli.js';
import type { TestEnv } from './env.js';

/** Workers still running when the test process exits (a failed test skips its own kill) are killed with it. */
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of alive) c.kill('SIGKILL');
});

/** Kills `child` when the test process exits before it does. */
export function killOnExit(child: ChildProcess): ChildProcess {
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  return child;
}

/** Starts `feedctl run` with the harness's config and environment (fc.childEnv); `vars` adds environment variables (settings). */
export function spawnWorker(
  env: TestEnv,
  fc: FeedctlHarness,
  name: string,
  vars: Record<string, string> = {},
): ChildProcess {
  const log = openSync(path.join(env.scratch, `worker-${name}.log`), 'a');
  const child = spawn(
    process.execPath,
    ['bin/feedctl.js', '--config', fc.configFile, 'run', '--poll-interval', '500'],
    {
      env: fc.childEnv({ FEEDCTL_LOG_LEVEL: 'warn', ...vars }),
      stdio: ['ignore', 'ignore', log],
    },
  );
  return killOnExit(child);
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** The exit, or `still running` after `timeoutMs`. */
export async function exitedWithin(child: ChildProcess, timeoutMs: number): Promise<Exit | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), timeoutMs)));
  try {
    return await Promise.race([exited(child), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until the worker `name` says it runs (its start-up line on stderr). */
export async function waitRunning(env: TestEnv, name: string, timeoutMs = 60_000): Promise<void> {
  await waitForLine(env, name, /feedctl worker \S+ running/, timeoutMs);
}

/** The URL of worker `name`'s health server (it prints `health and metrics on <url>` on stderr at start). */
export async function healthUrl(env: TestEnv, name: string, timeoutMs = 60_000): Promise<string> {
  const m = await waitForLine(env, name, /health and metrics on (http:\/\/\S+)/, timeoutMs);
  return m[1] as string;
}

async function waitForLine(env: TestEnv, name: string, line: RegExp, timeoutMs: number) {
  const file = path.join(env.scratch, `worker-${name}.log`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = line.exec(readFileSync(file, 'utf8'));
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`worker ${name} did not print ${line} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
