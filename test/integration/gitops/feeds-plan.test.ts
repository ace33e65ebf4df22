/**
 * The commands of .github/workflows/feeds-plan.yml, run as GitHub runs them, against the local stack: the `run:`
 * scripts of the steps `validate` and `plan` are taken from the workflow file as written and executed with the
 * workflow's shell (`bash --noprofile --norc -eo pipefail`, GitHub's `shell: bash`) in a throw-away workspace (the
 * checkout: `bin/` of this repository, built, and a `feeds/` folder), with GitHub's environment emulated:
 * `GITHUB_WORKSPACE`, `GITHUB_STEP_SUMMARY` and `GITHUB_OUTPUT` files, and the step's `env:` filled as GitHub
 * would (the secrets pointing at this file's isolated database). The checkout, setup-node, npm ci and build steps
 * are not run: the repository is already built.
 */
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { useTestEnv, type TestEnv } from '../../helpers/env.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const WORKFLOW = path.join(REPO, '.github/workflows/feeds-plan.yml');

interface Step {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Workflow {
  defaults?: { run?: { shell?: string } };
  jobs: { plan: { steps: Step[] } };
}

const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as Workflow;

/** Temporary folders (workspaces, runner files) removed after the file. */
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** The step with this id, which must be a `run:` step without `${{ }}` in its script. */
function step(id: string): Step & { run: string } {
  const s = workflow.jobs.plan.steps.find((x) => x.id === id);
  if (!s?.run) throw new Error(`feeds-plan.yml has no run: step with id ${id}`);
  if (s.run.includes('${{')) throw new Error(`step ${id}: move \${{ }} expressions to the step's env:`);
  return s as Step & { run: string };
}

/** A checkout: this repository's built CLI and a feeds/ folder holding `feeds` (file name → YAML). */
function workspace(feeds: Record<string, string>): string {
  const ws = tempDir('feedctl-gitops-');
  symlinkSync(path.join(REPO, 'bin'), path.join(ws, 'bin'));
  mkdirSync(path.join(ws, 'feeds'));
  for (const [file, yaml] of Object.entries(feeds)) writeFileSync(path.join(ws, 'feeds', file), yaml);
  return ws;
}

interface StepRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** What a run of the job leaves behind: the step summary, the steps' outputs, and plan.md in the workspace. */
interface Job {
  ws: string;
  summary: string;
  output: string;
  run(id: string): Promise<StepRun>;
  read(file: 'summary' | 'output' | 'plan.md'): string;
}

const execFileP = promisify(execFile);

/** A job in workspace `ws`; `values` fills the steps' `env:` (as GitHub fills secrets and contexts). */
function job(ws: string, values: Record<string, string>): Job {
  const runner = tempDir('feedctl-runner-');
  const summary = path.join(runner, 'step_summary.md');
  const output = path.join(runner, 'output');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  return {
    ws,
    summary,
    output,
    async run(id) {
      const s = step(id);
      const script = path.join(runner, `${id}.sh`);
      writeFileSync(script, s.run);
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: ws,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: output,
      };
      for (const key of Object.keys(s.env ?? {})) {
        const value = values[key];
        if (value === undefined) throw new Error(`step ${id}: the test does not know how to fill env ${key}`);
        env[key] = value;
      }
      try {
        const r = await execFileP('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
          cwd: ws,
          env,
        });
        return { code: 0, stdout: r.stdout, stderr: r.stderr };
      } catch (e) {
        const x = e as { code?: number; stdout?: string; stderr?: string };
        return {
          code: typeof x.code === 'number' ? x.code : -1,
          stdout: x.stdout ?? '',
          stderr: x.stderr ?? '',
        };
      }
    },
    read(file) {
      return readFileSync(
        file === 'plan.md' ? path.join(ws, 'plan.md') : file === 'summary' ? summary : output,
        'utf8',
      );
    },
  };
}

/** The step env a same-repository pull request gets: secrets naming `env`'s broker and isolated database. */
function secretsFor(env: TestEnv): Record<string, string> {
  const c = env.config;
  return {
    FEEDCTL_KAFKA_BROKERS: c.kafka.brokers.join(','),
    FEEDCTL_MYSQL_URL: c.mysql.url,
    FEEDCTL_MYSQL_PASSWORD: '',
    FEEDCTL_MYSQL_DATABASE: c.mysql.database,
    PR_HEAD_REPO: 'acme/feeds',
    PR_BASE_REPO: 'acme/feeds',
  };
}

/**
 * The repository's feeds/ as written, except topic and role names, made unique (they are server-wide: the plan of a
 * topic that exists but is not feedctl's would be an error).
 */
function repoFeeds(env: TestEnv): Record<string, string> {
  const dir = path.join(REPO, 'feeds');
  const roles = new Map<string, string>();
  const role = (r: string) => roles.get(r) ?? roles.set(r, env.role(r.slice(0, 12))).get(r)!;
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const doc = parseDocument(readFileSync(path.join(dir, file), 'utf8'));
    const name = String(doc.getIn(['metadata', 'name']));
    doc.setIn(['spec', 'topic', 'name'], env.topic(name.replace(/_/g, '-'))); // not both '.' and '_'
    const declared = doc.getIn(['spec', 'access', 'roles']) as { toJSON(): string[] } | undefined;
    doc.setIn(['spec', 'access', 'roles'], (declared?.toJSON() ?? []).map(role));
    out[file] = doc.toString();
  }
  return out;
}

const fresh = useTestEnv('gitops_plan');
const applied = useTestEnv('gitops_blocked');
const fc = useFeedctl(applied);

describe('feeds-plan.yml', () => {
  it('runs its scripts with bash, as GitHub does for shell: bash', () => {
    expect(workflow.defaults?.run?.shell).toBe('bash');
    expect(step('plan').if).toContain('!cancelled()');
  });

  it('on the repository feeds and an empty database: validates, plans (exit 2 passes), publishes the plan', async () => {
    const j = job(workspace(repoFeeds(fresh)), secretsFor(fresh));
    const validate = await j.run('validate');
    expect(validate.stdout).toBe('2 feed(s) valid in 2 file(s)\n');
    expect(validate.code).toBe(0);

    const plan = await j.run('plan');
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const md = j.read('plan.md');
    expect(md).toMatch(/^### feedctl plan\n/);
    expect(md).toContain('**Plan: 20 to create, 0 to update, 0 to adopt, 0 to delete.**');
    expect(md).toContain(
      '| create | table | `fact_customer_events` | customer_events | warehouse table does not exist |',
    );
    expect(md).toContain('| create | view | `dim_product_catalog_latest` | product_catalog |');
    expect(md).toContain('+ table fact_customer_events\n+   columns[id]:');
    expect(md).toContain('+ registry product_catalog\n+   feedName: "product_catalog"');
    expect(j.read('summary')).toBe(md);
    expect(j.read('output')).toBe('exitcode=2\n');
  });

  it('on an invalid manifest: validate fails with an annotation, the plan step publishes the errors and fails', async () => {
    const bad = feedYaml({ name: 'gitops_bad', topic: fresh.topic('bad') }).replace(
      'type: stream',
      'type: steam',
    );
    const j = job(workspace({ 'bad.yaml': bad }), secretsFor(fresh));
    const validate = await j.run('validate');
    expect(validate.stdout).toMatch(
      /^::error file=feeds\/bad\.yaml,line=7,col=9,title=feedctl validate::spec\.type "steam" must be one of: stream, table/m,
    );
    expect(validate.stdout).toMatch(/^1 error\(s\), 0 warning\(s\) in 1 file\(s\)$/m);
    expect(validate.code).toBe(1);

    // GitHub runs the plan step anyway (if: !cancelled()), so the comment shows the errors, not a stale plan.
    const plan = await j.run('plan');
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('::error title=feeds-plan::feedctl reconcile --dry-run failed (exit 1)');
    const md = j.read('plan.md');
    expect(md).toContain('**feedctl reconcile --dry-run failed (exit 1):**');
    expect(md).toContain('feeds/bad.yaml:7:9: spec.type "steam" must be one of: stream, table');
    expect(j.read('summary')).toBe(md);
    expect(j.read('output')).toBe('exitcode=1\n');
  });

  describe('a plan blocked by policy', () => {
    let topic: string;
    beforeAll(async () => {
      topic = applied.topic('blk');
      fc.writeFeed('blk', feedYaml({ name: 'gitops_blk', topic, table: 'fact_gitops_blk' }));
      expect((await fc.cli('reconcile')).code).toBe(0);
    });

    it('narrowing a column: exit 3 fails the step after plan.md and the summary were written', async () => {
      const narrowed = feedYaml({ name: 'gitops_blk', topic, table: 'fact_gitops_blk', emailLength: 50 });
      const j = job(workspace({ 'blk.yaml': narrowed }), secretsFor(applied));
      expect((await j.run('validate')).code).toBe(0);
      const plan = await j.run('plan');
      expect(plan.code).toBe(1);
      expect(plan.stdout).toContain('::error title=feeds-plan::the plan is blocked by policy');
      const md = j.read('plan.md');
      // The column, and the registry and consumer (new spec, generation 2; the manifest moved to feeds/blk.yaml).
      expect(md).toContain('**Plan: 0 to create, 3 to update, 0 to adopt, 0 to delete; 1 destructive.**');
      expect(md).toContain(
        '> This plan has destructive changes: nothing is applied without --allow-destructive.',
      );
      expect(md).toContain('| update ⚠️ destructive | column | `fact_gitops_blk.email` | gitops_blk |');
      expect(md).toContain('~ column fact_gitops_blk.email\n~   type: "varchar(200)" → "varchar(50)"');
      expect(j.read('summary')).toBe(md);
      expect(j.read('output')).toBe('exitcode=3\n');
      await fc.expectConverged(); // the dry-run changed nothing
    });
  });

  it('on a pull request from a fork (no secrets): skips the plan with a note, and passes', async () => {
    const noSecrets = { ...secretsFor(fresh), FEEDCTL_KAFKA_BROKERS: '', FEEDCTL_MYSQL_URL: '' };
    const j = job(workspace(repoFeeds(fresh)), { ...noSecrets, PR_HEAD_REPO: 'someone/feeds' });
    expect((await j.run('validate')).code).toBe(0);
    const plan = await j.run('plan');
    expect(plan.code).toBe(0);
    expect(j.read('plan.md')).toMatch(
      /^### feedctl plan\n\nNot computed: pull requests from forks get no secrets/,
    );
    expect(j.read('summary')).toBe(j.read('plan.md'));
    expect(j.read('output')).toBe('exitcode=skipped\n');
  });

  it('in the repository itself without the secrets: fails and says which secrets to set', async () => {
    const j = job(workspace(repoFeeds(fresh)), { ...secretsFor(fresh), FEEDCTL_MYSQL_URL: '' });
    const plan = await j.run('plan');
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('set the repository secrets FEEDCTL_KAFKA_BROKERS and FEEDCTL_MYSQL_URL');
  });
});
