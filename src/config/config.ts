/**
 * Connection settings, from one place. Precedence (highest first): explicit overrides (CLI flags), environment
 * variables, the config file (`--config`, FEEDCTL_CONFIG, or ./feedctl.config.yaml when present), defaults that
 * point at the local stack. Invariant: a Config is validated; its MySQL password only leaves through
 * {@link mysqlConnectionOptions}, never through logs or {@link describeConfig}.
 */
import {
  controllerConfig,
  httpConfig,
  retentionConfig,
  runtimeConfig,
  warehouseConfig,
  type ControllerConfig,
  type HttpConfig,
  type RetentionConfig,
  type RuntimeConfig,
  type WarehouseConfig,
} from './sections.js';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { groupPrefixProblem } from './consumer-groups.js';
import { FeedctlError, maskSecrets } from '../errors.js';
import { isSafeIdentifier } from '../sql/ident.js';
import { lakeConfig, type LakeConfig } from './lake.js';
import { SETTINGS } from './settings.js';

export interface Config {
  kafka: {
    brokers: string[];
    clientId: string;
    /** First part of every consumer group id (src/config/consumer-groups.ts). */
    groupPrefix: string;
    defaultReplicationFactor: number;
    sessionTimeoutMs: number;
  };
  mysql: { url: string; database: string };
  lake: LakeConfig;
  runtime: RuntimeConfig;
  retention: RetentionConfig;
  warehouse: WarehouseConfig;
  controller: ControllerConfig;
  http: HttpConfig;
  feedsDir: string;
  /** Where the local stack keeps jars, broker data, pid and log files. */
  stackHome: string;
}

export { SETTINGS, type SettingDef } from './settings.js';
export type {
  ControllerConfig,
  HttpConfig,
  LocalInfileMode,
  RetentionConfig,
  WarehouseConfig,
} from './sections.js';

export type ConfigSource = 'default' | 'file' | 'env' | 'flag';

/** A loaded config plus where each setting came from. */
export interface LoadedConfig {
  config: Config;
  sources: Record<string, ConfigSource>;
  file: string | undefined;
}

export interface LoadOptions {
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Record<string, string | undefined>;
  cwd?: string;
}

/** Loads, merges and validates the configuration. Throws CONFIG_INVALID listing every problem. */
export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const file = resolveConfigFile(opts.configFile ?? env.FEEDCTL_CONFIG, cwd);
  const fromFile = file ? readConfigFile(file) : {};
  const raw: Record<string, string> = {};
  const sources: Record<string, ConfigSource> = {};
  for (const s of SETTINGS) {
    const flag = opts.overrides?.[s.key];
    const envValue = env[s.env];
    const fileValue = fromFile[s.key];
    const [value, source]: [string, ConfigSource] =
      flag !== undefined
        ? [flag, 'flag']
        : envValue !== undefined && envValue !== ''
          ? [envValue, 'env']
          : fileValue !== undefined
            ? [fileValue, 'file']
            : [s.default, 'default'];
    raw[s.key] = value;
    sources[s.key] = source;
  }
  return { config: buildConfig(raw, cwd), sources, file };
}

function resolveConfigFile(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit) {
    const p = path.resolve(cwd, explicit);
    if (!existsSync(p)) throw configError(`config file not found: ${p}`);
    return p;
  }
  const p = path.join(cwd, 'feedctl.config.yaml');
  return existsSync(p) ? p : undefined;
}

/** Flattens `{kafka: {brokers: [...]}}` into `{'kafka.brokers': 'a,b'}`. */
function readConfigFile(file: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw configError(`cannot parse ${file}: ${(err as Error).message}`);
  }
  const out: Record<string, string> = {};
  const walk = (node: unknown, prefix: string): void => {
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) out[prefix] = node.map(String).join(',');
    else if (typeof node === 'object')
      for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    else out[prefix] = String(node);
  };
  walk(doc, '');
  const known = new Set(SETTINGS.map((s) => s.key));
  const unknown = Object.keys(out).filter((k) => !known.has(k));
  if (unknown.length > 0) throw configError(`${file}: unknown setting(s): ${unknown.join(', ')}`);
  return out;
}

function buildConfig(raw: Record<string, string>, cwd: string): Config {
  const problems: string[] = [];
  const brokers = (raw['kafka.brokers'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0 || brokers.some((b) => !/^[^\s:]+:\d{1,5}$/.test(b))) {
    problems.push(
      `kafka.brokers must be host:port[,host:port...], got ${JSON.stringify(raw['kafka.brokers'])}`,
    );
  }
  const groupPrefix = raw['kafka.groupPrefix'] ?? '';
  const prefixProblem = groupPrefixProblem(groupPrefix);
  if (prefixProblem) problems.push(prefixProblem);
  const rf = Number(raw['kafka.defaultReplicationFactor']);
  if (!Number.isInteger(rf) || rf < 1)
    problems.push('kafka.defaultReplicationFactor must be a positive integer');
  const session = Number(raw['kafka.sessionTimeoutMs']);
  if (!Number.isInteger(session) || session < 6000 || session > 300_000)
    problems.push(
      'kafka.sessionTimeoutMs must be an integer from 6000 to 300000 (the broker defaults allow)',
    );
  const runtime = runtimeConfig(raw, problems);
  const retention = retentionConfig(raw, problems);
  const warehouse = warehouseConfig(raw, problems);
  const controller = controllerConfig(raw, problems);
  const http = httpConfig(raw, problems);
  const lake = lakeConfig(raw, cwd, problems);
  const url = withPassword(raw['mysql.url'] ?? '', raw['mysql.password'] ?? '', problems);
  const database = raw['mysql.database'] ?? '';
  if (!isSafeIdentifier(database))
    problems.push(`mysql.database is not a safe identifier: ${JSON.stringify(database)}`);
  if (problems.length > 0) throw configError(problems.join('; '));
  return {
    kafka: {
      brokers,
      clientId: raw['kafka.clientId'] ?? 'feedctl',
      groupPrefix,
      defaultReplicationFactor: rf,
      sessionTimeoutMs: session,
    },
    mysql: { url, database },
    lake,
    runtime,
    retention,
    warehouse,
    controller,
    http,
    feedsDir: path.resolve(cwd, raw['feedsDir'] ?? './feeds'),
    stackHome: path.resolve(cwd, expandHome(raw['stackHome'] ?? '~/.cache/feedctl')),
  };
}

function withPassword(rawUrl: string, password: string, problems: string[]): string {
  let u: URL;
  try {
    u = new URL(rawUrl);
  } catch {
    problems.push(`mysql.url is not a URL: ${JSON.stringify(maskSecrets(rawUrl))}`);
    return rawUrl;
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:')
    problems.push('mysql.url must start with mysql://');
  if (u.pathname && u.pathname !== '/')
    problems.push('mysql.url must not name a database: use mysql.database');
  if (password) u.password = encodeURIComponent(password);
  return u.toString();
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(homedir(), p.slice(1)) : p;
}

function configError(detail: string): FeedctlError {
  return new FeedctlError('CONFIG_INVALID', detail, { subsystem: 'config', action: 'load' });
}
