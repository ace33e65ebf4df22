/**
 * MySQL/MariaDB access through mysql2/promise. Values are always bound parameters; identifiers go through
 * src/sql/ident.ts. Connection failures become MYSQL_UNREACHABLE (retriable); a configured database that does not
 * exist DATABASE_MISSING; other failures MYSQL_QUERY_FAILED.
 */
import mysql, { type Connection, type ConnectionOptions, type Pool } from 'mysql2/promise';
import type { Config } from '../config/config.js';
import { FeedctlError, causeText } from '../errors.js';
import { quoteIdent } from '../sql/ident.js';

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

/** A single connection; connection errors are mapped to MYSQL_UNREACHABLE, a missing database to DATABASE_MISSING. */
export async function connectMysql(config: Config, opts: MysqlOptions = {}): Promise<Connection> {
  try {
    const conn = await mysql.createConnection(mysqlConnectionOptions(config, opts));
    await conn.query("SET time_zone = '+00:00'");
    return conn;
  } catch (err) {
    throw isUnknownDatabase(err) ? databaseMissing(config, err) : mysqlError(err, config, 'connect');
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

/** True when the error is MySQL's `Table … doesn't exist` (ER_NO_SUCH_TABLE): a table of a migration not applied yet. */
export function isMissingTable(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ER_NO_SUCH_TABLE';
}

/** A JSON column's value: MariaDB returns JSON as text, MySQL 8 as a parsed value. */
export function jsonColumn<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/** True when the error is MySQL's `Unknown database` (ER_BAD_DB_ERROR, errno 1049), raw or mapped. */
export function isUnknownDatabase(err: unknown): boolean {
  if (err instanceof FeedctlError) return err.code === 'DATABASE_MISSING';
  const e = err as { code?: string; errno?: number } | null;
  return e?.code === 'ER_BAD_DB_ERROR' || e?.errno === 1049;
}

/**
 * True for `Access denied for user … to database …` (ER_DBACCESS_DENIED_ERROR, errno 1044): what a user without
 * privileges on a database gets when connecting to it, whether it exists or not (MySQL does not tell them apart).
 */
export function isDatabaseAccessDenied(err: unknown): boolean {
  const e = (err instanceof FeedctlError ? err.cause : err) as { code?: string; errno?: number } | null;
  return e?.code === 'ER_DBACCESS_DENIED_ERROR' || e?.errno === 1044;
}

/** The commands that create a missing database (the read-only ones never do). */
const CREATES_DATABASE =
  '`feedctl migrate up` creates it (so do `feedctl reconcile`, `feedctl run` and `feedctl stack up`)';

/** Creates the configured database when it is missing; true when it was created. */
export async function createDatabase(config: Config): Promise<boolean> {
  const db = config.mysql.database;
  const sql = `CREATE DATABASE IF NOT EXISTS ${quoteIdent(db)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
  const conn = await connectMysql(config, { withDatabase: false });
  try {
    const [res] = await conn.query(sql);
    return (res as { warningStatus?: number }).warningStatus === 0;
  } catch (err) {
    const denied = ['ER_DBACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR'];
    if (!denied.includes(String((err as { code?: string }).code)))
      throw mysqlError(err, config, 'create database', db);
    throw new FeedctlError(
      'DATABASE_MISSING',
      `this MySQL user may not create database ${db} (${causeText(err)}): have an administrator run \`${sql}\` and grant this user its privileges, or set FEEDCTL_MYSQL_DATABASE to a database it may use`,
      { subsystem: 'mysql', action: 'create database', id: db, cause: err },
    );
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** DATABASE_MISSING for a connection to the configured database, naming the commands that create it. */
function databaseMissing(config: Config, err: unknown): FeedctlError {
  const db = config.mysql.database;
  return new FeedctlError('DATABASE_MISSING', `database ${db} does not exist: ${CREATES_DATABASE}`, {
    subsystem: 'mysql',
    action: 'connect',
    id: db,
    context: { mysqlCode: 'ER_BAD_DB_ERROR' },
    cause: err,
  });
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
