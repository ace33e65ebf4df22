/**
 * How the warehouse sink classifies MySQL failures (pure). Three outcomes:
 * - data: MySQL rejects a row (errno below) → that row goes to the dead-letter topic with stage `write`;
 * - infrastructure: connection lost or refused, deadlock, lock wait timeout → roll back, retriable FeedctlError;
 * - anything else (missing table, unknown column …) → roll back, non-retriable FeedctlError.
 */
import { isConnectionError } from '../../clients/mysql.js';
import { FeedctlError, causeText } from '../../errors.js';
import type { DecodeFailure } from '../record.js';

/** MySQL/MariaDB errnos that reject a row's data, and the DecodeFailure class each becomes. */
const DATA_ERRORS: ReadonlyMap<number, string> = new Map([
  [1048, 'NullNotAllowed'], // ER_BAD_NULL_ERROR
  [1264, 'OutOfRange'], // ER_WARN_DATA_OUT_OF_RANGE
  [1690, 'OutOfRange'], // ER_DATA_OUT_OF_RANGE
  [1406, 'DataTooLong'], // ER_DATA_TOO_LONG
  [1265, 'DataTruncated'], // WARN_DATA_TRUNCATED
  [1292, 'IncorrectValue'], // ER_TRUNCATED_WRONG_VALUE (e.g. incorrect datetime value)
  [1366, 'IncorrectValue'], // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD (e.g. incorrect string value)
  [1367, 'IncorrectValue'], // ER_ILLEGAL_VALUE_FOR_TYPE
  [1411, 'IncorrectValue'], // ER_WRONG_VALUE_FOR_TYPE
  [1300, 'IncorrectValue'], // ER_INVALID_CHARACTER_STRING
  [3140, 'InvalidJson'], // ER_INVALID_JSON_TEXT (MySQL)
  [4025, 'ConstraintFailed'], // ER_CONSTRAINT_FAILED (MariaDB, e.g. json_valid on a JSON column)
  [3819, 'ConstraintFailed'], // ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
  [1452, 'ConstraintFailed'], // ER_NO_REFERENCED_ROW_2 (a foreign key on an adopted table)
]);

/**
 * Errnos of a server (or client library) refusing `LOAD DATA LOCAL INFILE`: ER_NOT_ALLOWED_COMMAND (1148, MySQL
 * 5.x and older MariaDB), ER_CLIENT_LOCAL_FILES_DISABLED (3948, MySQL 8 with `local_infile=OFF`),
 * ER_LOAD_INFILE_CAPABILITY_DISABLED (4166, MariaDB 10.5+), CR_LOAD_DATA_LOCAL_INFILE_REJECTED (2068).
 */
const LOCAL_INFILE_REFUSED = new Set([1148, 2068, 3948, 4166]);

/** True when `err` is the server refusing `LOAD DATA LOCAL INFILE`: the sink then uses multi-row upserts. */
export function isLocalInfileRefused(err: unknown): boolean {
  return hasErrno(err, LOCAL_INFILE_REFUSED);
}

/** Errnos after which the transaction is gone but a retry can succeed. */
const TRANSIENT_ERRNOS = new Set([1205, 1213]); // ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK

/** Errnos meaning the server dropped the session: server shutdown, killed, gone away, lost. */
const SESSION_LOST_ERRNOS = new Set([1053, 1927, 2006, 2013]);

function errnoOf(err: unknown): number | undefined {
  const errno = (err as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' ? errno : undefined;
}

/** True when `err` carries a MySQL errno among `errnos`. */
export function hasErrno(err: unknown, errnos: ReadonlySet<number>): boolean {
  const errno = errnoOf(err);
  return errno !== undefined && errnos.has(errno);
}

/** The DecodeFailure class when `err` is MySQL rejecting a row's data, else null. */
export function dataErrorClass(err: unknown): string | null {
  const errno = errnoOf(err);
  return errno === undefined ? null : (DATA_ERRORS.get(errno) ?? null);
}

/** The DecodeFailure of a row MySQL rejected with `err` (whose class is `errorClass`). */
export function writeFailure(errorClass: string, err: unknown): DecodeFailure {
  const sqlMessage = (err as { sqlMessage?: unknown }).sqlMessage;
  return {
    stage: 'write',
    errorClass,
    message: typeof sqlMessage === 'string' ? sqlMessage : causeText(err),
  };
}

/**
 * True when the connection cannot be used again: refused, reset, killed, or marked fatal by mysql2 (which then
 * refuses every further command). Such a connection is destroyed, never returned to the pool.
 */
export function isConnectionLost(err: unknown): boolean {
  if (isConnectionError(err)) return true;
  if ((err as { fatal?: unknown } | null)?.fatal === true) return true;
  return hasErrno(err, SESSION_LOST_ERRNOS);
}

/** A MySQL failure of the sink as a FeedctlError: MYSQL_UNREACHABLE or MYSQL_QUERY_FAILED, retriable or not. */
export function warehouseError(err: unknown, action: string, id: string): FeedctlError {
  if (err instanceof FeedctlError) return err;
  const errno = errnoOf(err);
  const context = { mysqlErrno: errno, mysqlCode: (err as { code?: unknown } | null)?.code };
  if (isConnectionLost(err)) {
    return new FeedctlError('MYSQL_UNREACHABLE', causeText(err), {
      subsystem: 'warehouse',
      action,
      id,
      retriable: true,
      context,
      cause: err,
    });
  }
  return new FeedctlError('MYSQL_QUERY_FAILED', causeText(err), {
    subsystem: 'warehouse',
    action,
    id,
    retriable: errno !== undefined && TRANSIENT_ERRNOS.has(errno),
    context,
    cause: err,
  });
}
