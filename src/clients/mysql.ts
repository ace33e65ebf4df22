/**
 * MySQL/MariaDB access through mysql2/promise. Values are always bound parameters; identifiers go through
 * src/sql/ident.ts. Connection failures become MYSQL_UNREACHABLE (retriable); other failures MYSQL_QUERY_FAILED.
 */
import mysql, { type Connection, type ConnectionOptions, type Pool } from 'mysql2/promise';
import type { Config } from '../config/config.js';
import { FeedctlError, causeText } from '../errors.js';

export type { Connection, Pool, PoolConnection, RowDataPacket, ResultSetHeader } from 'mysql2/promise';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
]);

export interface MysqlOptions {
  /** Connect to the configured database (default) or to the server only (to create the database). */
  withDatabase?: boolean;
  multipleStatements?: boolean;
}

/** mysql2 connection options built from the config; the only place the password leaves Config. */
export function mysqlConnectionOptions(config: Config, opts: MysqlOptions = {}): ConnectionOptions {
  const u = new URL(config.mysql.url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: opts.withDatabase === false ? undefined : config.mysql.database,
    multipleStatements: opts.multipleStatements ?? false,
    timezone: 'Z',
    dateStrings: ['DATE'],
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    connectTimeout: 5000,
    charset: 'utf8mb4_unicode_ci',
  };
}

/** A single connection; connection errors are mapped to MYSQL_UNREACHABLE. */
export async function connectMysql(config: Config, opts: MysqlOptions = {}): Promise<Connection> {
  try {
    const conn = await mysql.createConnection(mysqlConnectionOptions(config, opts));
    await conn.query("SET time_zone = '+00:00'");
    return conn;
  } catch (err) {
    throw mysqlError(err, config, 'connect');
  }
}

/** A pool for long-running users (reconciler, runtime sinks). */
export function createMysqlPool(config: Config, size = 4): Pool {
  const pool = mysql.createPool({
    ...mysqlConnectionOptions(config),
    connectionLimit: size,
    waitForConnections: true,
  });
  pool.on('connection', (c) => void c.query("SET time_zone = '+00:00'"));
  return pool;
}

/** Runs `fn` on a fresh connection and always closes it. */
export async function withMysql<T>(
  config: Config,
  fn: (c: Connection) => Promise<T>,
  opts: MysqlOptions = {},
): Promise<T> {
  const conn = await connectMysql(config, opts);
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** True when the error means the server could not be reached (as opposed to a bad query). */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return typeof code === 'string' && UNREACHABLE_CODES.has(code);
}

/** Maps a mysql2 error to a FeedctlError with the right code and retriability. */
export function mysqlError(err: unknown, config: Config, action: string, id?: string): FeedctlError {
  if (err instanceof FeedctlError) return err;
  const u = new URL(config.mysql.url);
  const where = id ?? `${u.hostname}:${u.port || 3306}`;
  if (isConnectionError(err)) {
    return new FeedctlError('MYSQL_UNREACHABLE', causeText(err), {
      subsystem: 'mysql',
      action,
      id: where,
      retriable: true,
      cause: err,
    });
  }
  const code = (err as { code?: string }).code;
  return new FeedctlError('MYSQL_QUERY_FAILED', causeText(err), {
    subsystem: 'mysql',
    action,
    id: where,
    retriable: code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT',
    context: { mysqlCode: code },
    cause: err,
  });
}
