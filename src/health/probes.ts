/**
 * The readiness probes every long-running feedctl process shares: Kafka reachable, MySQL reachable, control-plane
 * migrations applied. Kafka is probed with a fresh admin client per probe (one metadata request, no retries, closed
 * at once), so a stopped broker fails the probe within its connection timeout instead of after kafkajs' retries.
 * MySQL is probed over a pool of its own (two connections, one per check), so probes neither open a connection
 * each time nor wait behind the worker's queries. Details name hosts, never credentials.
 */
import type { Config } from '../config/config.js';
import { pingKafka } from '../clients/kafka.js';
import { FeedctlError } from '../errors.js';
import { createMysqlPool, isUnknownDatabase, mysqlError, type Pool } from '../clients/mysql.js';
import { pendingMigrationsReadOnly } from '../control/migrate.js';
import { CHECK_TIMEOUT_MS, type Check, type CheckResult } from './checks.js';

/** The probes and what they hold open. */
export interface ReadinessProbes {
  checks: Check[];
  /** Closes the probes' MySQL pool. */
  close(): Promise<void>;
}

/** Kafka, MySQL and migrations checks for `config`; each answers within `timeoutMs` or fails. */
export function readinessProbes(config: Config, timeoutMs = CHECK_TIMEOUT_MS): ReadinessProbes {
  const pool = createMysqlPool(config, 2);
  const where = mysqlAddress(config);
  return {
    checks: [
      kafkaCheck(config, timeoutMs),
      mysqlCheck(config, pool, where, timeoutMs),
      migrationsCheck(config, pool),
    ],
    close: () => pool.end().catch(() => undefined),
  };
}

function kafkaCheck(config: Config, timeoutMs: number): Check {
  return {
    name: 'kafka',
    async run(): Promise<CheckResult> {
      const brokers = await pingKafka(config, timeoutMs);
      return { ok: true, detail: `${brokers} broker(s) answered at ${config.kafka.brokers.join(',')}` };
    },
  };
}

function mysqlCheck(config: Config, pool: Pool, where: string, timeoutMs: number): Check {
  return {
    name: 'mysql',
    async run(): Promise<CheckResult> {
      try {
        await pool.query({ sql: 'SELECT 1', timeout: timeoutMs });
      } catch (err) {
        throw probeError(err, config);
      }
      return { ok: true, detail: `${where} answered (database ${config.mysql.database})` };
    },
  };
}

function migrationsCheck(config: Config, pool: Pool): Check {
  return {
    name: 'migrations',
    async run(): Promise<CheckResult> {
      const conn = await pool.getConnection().catch((err: unknown) => {
        throw probeError(err, config);
      });
      try {
        const pending = await pendingMigrationsReadOnly(conn);
        return pending.length === 0
          ? { ok: true, detail: 'every control-plane migration applied' }
          : { ok: false, detail: `${pending.length} pending: ${pending.join(', ')} (feedctl migrate up)` };
      } catch (err) {
        throw mysqlError(err, config, 'read migrations');
      } finally {
        conn.release();
      }
    },
  };
}

/** A failed MySQL probe, saying which command creates a missing database. */
function probeError(err: unknown, config: Config): FeedctlError {
  if (!isUnknownDatabase(err)) return mysqlError(err, config, 'probe');
  const db = config.mysql.database;
  return new FeedctlError(
    'DATABASE_MISSING',
    `database ${db} does not exist (feedctl migrate up creates it)`,
    {
      subsystem: 'mysql',
      action: 'probe',
      id: db,
      cause: err,
    },
  );
}

/** host:port of the MySQL server, without user or password. */
function mysqlAddress(config: Config): string {
  const u = new URL(config.mysql.url);
  return `${u.hostname}:${u.port || 3306}`;
}
