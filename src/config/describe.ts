/** Human view of a loaded configuration, passwords masked. */
import { maskSecrets } from '../errors.js';
import type { Config, LoadedConfig } from './config.js';
import { SETTINGS } from './config.js';

/** Shown for the `lake.s3.*` settings of a lake on a local folder. */
const UNUSED = '(unused: the lake is a folder)';

/** One row per setting: key, masked value, source. Safe to print. */
export function describeConfig(loaded: LoadedConfig): Array<{ key: string; value: string; source: string }> {
  const c = loaded.config;
  const values: Record<string, string> = {
    'kafka.brokers': c.kafka.brokers.join(','),
    'kafka.clientId': c.kafka.clientId,
    'kafka.groupPrefix': c.kafka.groupPrefix,
    'kafka.defaultReplicationFactor': String(c.kafka.defaultReplicationFactor),
    'kafka.sessionTimeoutMs': String(c.kafka.sessionTimeoutMs),
    'mysql.url': maskedMysqlUrl(c),
    'mysql.password': new URL(c.mysql.url).password ? '***' : '(none)',
    'mysql.database': c.mysql.database,
    'lake.root': c.lake.root,
    'lake.s3.endpoint': c.lake.s3 ? (c.lake.s3.endpoint ?? '(AWS)') : UNUSED,
    'lake.s3.region': c.lake.s3?.region ?? UNUSED,
    'lake.s3.pathStyle': c.lake.s3 ? String(c.lake.s3.forcePathStyle) : UNUSED,
    'runtime.stallSeconds': String(c.runtime.stallSeconds),
    'runtime.memoryBudgetMb': String(c.runtime.memoryBudgetMb),
    'runtime.bufferBudgetMb': String(c.runtime.bufferBudgetMb),
    'runtime.threads': String(c.runtime.threads ?? 'auto'),
    'retention.intervalSeconds': String(c.retention.intervalSeconds),
    'retention.graceSeconds': String(c.retention.graceSeconds),
    'retention.batchRows': String(c.retention.batchRows),
    'retention.pauseMs': String(c.retention.pauseMs),
    'warehouse.localInfile': c.warehouse.localInfile,
    'controller.resyncSeconds': String(c.controller.resyncSeconds),
    'controller.refreshSeconds': String(c.controller.refreshSeconds),
    'controller.breakerMaxShare': String(c.controller.breakerMaxShare),
    'controller.breakerMaxFeeds': String(c.controller.breakerMaxFeeds),
    'controller.unreadyAfterSeconds': String(c.controller.unreadyAfterSeconds),
    'http.host': c.http.host,
    'http.port': String(c.http.port),
    'http.token': c.http.token ? '***' : '(none)',
    feedsDir: c.feedsDir,
    stackHome: c.stackHome,
  };
  return SETTINGS.map((s) => ({
    key: s.key,
    value: values[s.key] ?? '',
    source: loaded.sources[s.key] ?? 'default',
  }));
}

/** The MySQL URL with its password replaced by `***`. */
export function maskedMysqlUrl(c: Config): string {
  return maskSecrets(c.mysql.url);
}
