/**
 * Connection settings, from one place. Precedence (highest first): explicit overrides (CLI flags), environment
 * variables, the config file (`--config`, FEEDCTL_CONFIG, or ./feedctl.config.yaml when present), defaults that
 * point at the local stack. Invariant: a Config is validated; its MySQL password only leaves through
 * {@link mysqlConnectionOptions}, never through logs or {@link describeConfig}.
 */
import {
  controllerConfig,
  retentionConfig,
  runtimeConfig,
  type ControllerConfig,
  type RetentionConfig,
} from './sections.js';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { FeedctlError, maskSecrets } from '../errors.js';
import { isSafeIdentifier } from '../sql/ident.js';

export interface Config {
  kafka: { brokers: string[]; clientId: string; defaultReplicationFactor: number; sessionTimeoutMs: number };
  mysql: { url: string; database: string };
  lake: { root: string };
  runtime: { stallSeconds: number; bufferBudgetMb: number };
  retention: RetentionConfig;
  controller: ControllerConfig;
  feedsDir: string;
  /** Where the local stack keeps jars, broker data, pid and log files. */
  stackHome: string;
}

/** One setting: its dotted key, environment variable, default and description (the README table mirrors this). */
export interface SettingDef {
  key: string;
  env: string;
  default: string;
  description: string;
}

export const SETTINGS: readonly SettingDef[] = [
  {
    key: 'kafka.brokers',
    env: 'FEEDCTL_KAFKA_BROKERS',
    default: '127.0.0.1:9092',
    description: 'Comma-separated bootstrap brokers',
  },
  {
    key: 'kafka.clientId',
    env: 'FEEDCTL_KAFKA_CLIENT_ID',
    default: 'feedctl',
    description: 'Kafka client id',
  },
  {
    key: 'kafka.defaultReplicationFactor',
    env: 'FEEDCTL_KAFKA_REPLICATION_FACTOR',
    default: '1',
    description: 'Replication factor for manifests that do not set one',
  },
  {
    key: 'kafka.sessionTimeoutMs',
    env: 'FEEDCTL_KAFKA_SESSION_TIMEOUT_MS',
    default: '30000',
    description: 'Consumer group session timeout: how long a dead worker keeps its partitions',
  },
  {
    key: 'mysql.url',
    env: 'FEEDCTL_MYSQL_URL',
    default: 'mysql://root@127.0.0.1:3306',
    description: 'MySQL/MariaDB server URL (user, password, host, port)',
  },
  {
    key: 'mysql.password',
    env: 'FEEDCTL_MYSQL_PASSWORD',
    default: '',
    description: 'Overrides the password of mysql.url; never printed',
  },
  {
    key: 'mysql.database',
    env: 'FEEDCTL_MYSQL_DATABASE',
    default: 'data_warehouse',
    description: 'Warehouse + control-plane database',
  },
  {
    key: 'lake.root',
    env: 'FEEDCTL_LAKE_ROOT',
    default: './data_lake',
    description: 'Root folder of the Parquet data lake',
  },
  {
    key: 'runtime.stallSeconds',
    env: 'FEEDCTL_STALL_SECONDS',
    default: '120',
    description: 'A consumer partition with lag and no durable progress for this long is reported stalled',
  },
  {
    key: 'runtime.bufferBudgetMb',
    env: 'FEEDCTL_BUFFER_BUDGET_MB',
    default: '128',
    description:
      "Lake buffers of one worker process, all partitions together; past it a partition's buffer is flushed before it fetches more",
  },
  {
    key: 'retention.intervalSeconds',
    env: 'FEEDCTL_RETENTION_INTERVAL_SECONDS',
    default: '3600',
    description: 'How often workers run the retention job (one worker at a time); 0 turns it off in workers',
  },
  {
    key: 'retention.graceSeconds',
    env: 'FEEDCTL_RETENTION_GRACE_SECONDS',
    default: '3600',
    description:
      'A table version that left the kept versions, or a lake day written to, this recently is kept (readers finish)',
  },
  {
    key: 'retention.batchRows',
    env: 'FEEDCTL_RETENTION_BATCH_ROWS',
    default: '5000',
    description: 'Warehouse rows deleted per statement (and transaction) by retention',
  },
  {
    key: 'retention.pauseMs',
    env: 'FEEDCTL_RETENTION_PAUSE_MS',
    default: '50',
    description: "Pause between retention's warehouse delete batches, so writers get the table",
  },
  {
    key: 'controller.resyncSeconds',
    env: 'FEEDCTL_RESYNC_SECONDS',
    default: '300',
    description: 'reconcile --watch: how often it reconciles without a manifest change (drift is healed)',
  },
  {
    key: 'controller.breakerMaxShare',
    env: 'FEEDCTL_BREAKER_MAX_SHARE',
    default: '0.25',
    description:
      'reconcile --watch refuses a plan disabling or deleting more than this share of the enabled feeds',
  },
  {
    key: 'controller.breakerMaxFeeds',
    env: 'FEEDCTL_BREAKER_MAX_FEEDS',
    default: '10',
    description: 'reconcile --watch refuses a plan disabling or deleting more feeds than this at once',
  },
  {
    key: 'controller.unreadyAfterSeconds',
    env: 'FEEDCTL_UNREADY_AFTER_SECONDS',
    default: '600',
    description: 'reconcile --watch: /readyz turns unready when reconciles have failed for longer than this',
  },
  { key: 'feedsDir', env: 'FEEDCTL_FEEDS_DIR', default: './feeds', description: 'Folder of feed manifests' },
  {
    key: 'stackHome',
    env: 'FEEDCTL_HOME',
    default: '~/.cache/feedctl',
    description: 'Local stack state: Kafka jars, data, logs',
  },
];

export type { ControllerConfig, RetentionConfig } from './sections.js';

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
  const controller = controllerConfig(raw, problems);
  const url = withPassword(raw['mysql.url'] ?? '', raw['mysql.password'] ?? '', problems);
  const database = raw['mysql.database'] ?? '';
  if (!isSafeIdentifier(database))
    problems.push(`mysql.database is not a safe identifier: ${JSON.stringify(database)}`);
  if (problems.length > 0) throw configError(problems.join('; '));
  return {
    kafka: {
      brokers,
      clientId: raw['kafka.clientId'] ?? 'feedctl',
      defaultReplicationFactor: rf,
      sessionTimeoutMs: session,
    },
    mysql: { url, database },
    lake: { root: path.resolve(cwd, raw['lake.root'] ?? './data_lake') },
    runtime,
    retention,
    controller,
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
