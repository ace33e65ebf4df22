/**
 * Runs the feedctl CLI against a test file's isolated environment: a config file naming its database, lake and
 * feeds folder; manifests written into that folder. `expectConverged` is the end of every reconcile test: a
 * fresh dry-run must report no changes (exit 0 with --detailed-exitcode).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, vi } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { TestEnv } from './env.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface FeedctlHarness {
  feedsDir: string;
  configFile: string;
  /** Runs `feedctl <args> --config <file>` in this process (calls must not overlap). */
  cli(...args: string[]): Promise<CliResult>;
  /** Runs the built CLI (bin/feedctl.js) as a child process; calls may overlap. */
  spawn(...args: string[]): Promise<CliResult>;
  /** The environment of a spawned feedctl: this process's, the test environment's `vars`, then `extra`. */
  childEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
  writeFeed(name: string, yaml: string): void;
  removeFeed(name: string): void;
  /** Rewrites the config file: the test environment's settings, or `yaml` instead when given. */
  writeConfig(yaml?: string): void;
  expectConverged(): Promise<void>;
}

export function useFeedctl(env: TestEnv): FeedctlHarness {
  const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-cli-'));
  const feedsDir = path.join(dir, 'feeds');
  mkdirSync(feedsDir);
  const configFile = path.join(dir, 'feedctl.config.yaml');
  const c = env.config;
  const own = [
    `kafka:\n  brokers: [${c.kafka.brokers.join(', ')}]\n  groupPrefix: ${c.kafka.groupPrefix}`,
    `mysql:\n  url: ${c.mysql.url}\n  database: ${c.mysql.database}`,
    `lake:\n  root: ${c.lake.root}`,
    ...(c.lake.s3
      ? [
          `  s3:\n    endpoint: ${c.lake.s3.endpoint ?? ''}\n    region: ${c.lake.s3.region}`,
          `    pathStyle: ${c.lake.s3.forcePathStyle}`,
        ]
      : []),
    // Workers and watchers of parallel tests must not compete for the default port (so does vitest.config.ts).
    'http:\n  port: 0',
    `feedsDir: ${feedsDir}`,
    '',
  ].join('\n');
  writeFileSync(configFile, own);
  const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    ...env.vars,
    ...extra,
  });
  const h: FeedctlHarness = {
    feedsDir,
    configFile,
    cli: (...args) => runInProcess(['--config', configFile, ...args]),
    spawn: (...args) => runChild(['--config', configFile, ...args], childEnv({ NO_COLOR: '1' })),
    childEnv,
    writeFeed: (name, yaml) => writeFileSync(path.join(feedsDir, `${name}.yaml`), yaml),
    removeFeed: (name) => rmSync(path.join(feedsDir, `${name}.yaml`)),
    writeConfig: (yaml) => writeFileSync(configFile, yaml ?? own),
    async expectConverged() {
      const r = await h.cli('reconcile', '--dry-run', '--detailed-exitcode');
      expect(r.stdout + r.stderr).toContain('No changes');
      expect(r.code).toBe(0);
    },
  };
  return h;
}

async function runInProcess(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await run(['node', 'feedctl', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const execFileP = promisify(execFile);

async function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  try {
    const r = await execFileP(process.execPath, ['bin/feedctl.js', ...args], { env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : 1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

/** Options of the manifest builder; anything omitted takes a small, valid default. */
export interface FeedYamlOptions {
  name: string;
  topic: string;
  type?: 'stream' | 'table';
  partitions?: number;
  configs?: Record<string, string>;
  table?: string | null;
  roles?: string[];
  /** Extra field lines, YAML flow maps, e.g. `{name: note, type: string, maxLength: 100, nullable: true}`. */
  fields?: string[];
  emailLength?: number;
  deadLetter?: boolean;
}

/** A manifest in the feedctl/v1 format. */
export function feedYaml(o: FeedYamlOptions): string {
  const type = o.type ?? 'stream';
  const configs = Object.entries(o.configs ?? { 'retention.ms': '604800000' });
  const warehouse = o.table
    ? `    warehouse: {enabled: true, table: ${o.table}}`
    : '    warehouse: {enabled: false}';
  return [
    'apiVersion: feedctl/v1',
    'kind: Feed',
    'metadata:',
    `  name: ${o.name}`,
    '  owner: tests',
    'spec:',
    `  type: ${type}`,
    '  topic:',
    `    name: ${o.topic}`,
    `    partitions: ${o.partitions ?? 2}`,
    '    replicationFactor: 1',
    ...(configs.length ? ['    configs:', ...configs.map(([k, v]) => `      ${k}: "${v}"`)] : []),
    '  schema:',
    '    fields:',
    '      - {name: customer_id, type: string, maxLength: 64}',
    `      - {name: email, type: string, maxLength: ${o.emailLength ?? 200}, nullable: true}`,
    '      - {name: amount, type: decimal, precision: 15, scale: 2, nullable: true}',
    '      - {name: occurred_at, type: timestamp}',
    ...(o.fields ?? []).map((f) => `      - ${f}`),
    '    key: [customer_id]',
    '    eventTime: occurred_at',
    '  destinations:',
    '    lake: {enabled: true}',
    warehouse,
    ...(type === 'stream' ? ['  retention: {days: 30}'] : ['  retention: {versions: 3}']),
    ...(o.roles?.length ? [`  access: {roles: [${o.roles.join(', ')}]}`] : []),
    ...(o.deadLetter === false ? ['  deadLetter: {enabled: false}'] : []),
    '',
  ].join('\n');
}
