import { describe, expect, it } from 'vitest';
import {
  dataErrorClass,
  isConnectionLost,
  isLocalInfileRefused,
  warehouseError,
  writeFailure,
} from '../../../../src/runtime/warehouse/failures.js';

/** The shape of a mysql2 server error. */
function mysqlErr(errno: number, code: string, sqlMessage = code): Error {
  return Object.assign(new Error(sqlMessage), { errno, code, sqlMessage, sqlState: 'HY000' });
}

describe('warehouse failure classification', () => {
  it('recognizes a refused LOAD DATA LOCAL INFILE (MySQL 8, MariaDB, older servers, the client)', () => {
    expect(isLocalInfileRefused(mysqlErr(3948, 'ER_CLIENT_LOCAL_FILES_DISABLED'))).toBe(true);
    expect(isLocalInfileRefused(mysqlErr(4166, 'ER_LOAD_INFILE_CAPABILITY_DISABLED'))).toBe(true);
    expect(isLocalInfileRefused(mysqlErr(1148, 'ER_NOT_ALLOWED_COMMAND'))).toBe(true);
    expect(isLocalInfileRefused(mysqlErr(2068, 'CR_LOAD_DATA_LOCAL_INFILE_REJECTED'))).toBe(true);
    expect(isLocalInfileRefused(mysqlErr(1406, 'ER_DATA_TOO_LONG'))).toBe(false);
    expect(isLocalInfileRefused(new Error('other'))).toBe(false);
  });

  it('classes row-level data errors by errno', () => {
    expect(dataErrorClass(mysqlErr(1406, 'ER_DATA_TOO_LONG'))).toBe('DataTooLong');
    expect(dataErrorClass(mysqlErr(1264, 'ER_WARN_DATA_OUT_OF_RANGE'))).toBe('OutOfRange');
    expect(dataErrorClass(mysqlErr(1292, 'ER_TRUNCATED_WRONG_VALUE'))).toBe('IncorrectValue');
    expect(dataErrorClass(mysqlErr(4025, 'ER_CONSTRAINT_FAILED'))).toBe('ConstraintFailed');
    expect(dataErrorClass(mysqlErr(1213, 'ER_LOCK_DEADLOCK'))).toBeNull();
    expect(dataErrorClass(mysqlErr(1146, 'ER_NO_SUCH_TABLE'))).toBeNull();
    expect(dataErrorClass(new TypeError('x'))).toBeNull();
  });

  it('tags a rejected row with stage write and MySQL message', () => {
    const err = mysqlErr(1406, 'ER_DATA_TOO_LONG', "Data too long for column 'id' at row 1");
    expect(writeFailure('DataTooLong', err)).toEqual({
      stage: 'write',
      errorClass: 'DataTooLong',
      message: "Data too long for column 'id' at row 1",
    });
  });

  it('recognizes lost sessions: network codes, mysql2 fatal errors, killed or shut-down sessions', () => {
    expect(isConnectionLost(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error('closed state'), { fatal: true }))).toBe(true);
    expect(isConnectionLost(mysqlErr(1927, 'ER_CONNECTION_KILLED'))).toBe(true);
    expect(isConnectionLost(mysqlErr(1053, 'ER_SERVER_SHUTDOWN'))).toBe(true);
    expect(isConnectionLost(mysqlErr(1213, 'ER_LOCK_DEADLOCK'))).toBe(false);
  });

  it('maps to retriable errors only for lost connections, deadlocks and lock wait timeouts', () => {
    const lost = warehouseError(Object.assign(new Error('gone'), { fatal: true }), 'write', 'f/t');
    expect([lost.code, lost.retriable]).toEqual(['MYSQL_UNREACHABLE', true]);
    const deadlock = warehouseError(mysqlErr(1213, 'ER_LOCK_DEADLOCK'), 'write', 'f/t');
    expect([deadlock.code, deadlock.retriable]).toEqual(['MYSQL_QUERY_FAILED', true]);
    const timeout = warehouseError(mysqlErr(1205, 'ER_LOCK_WAIT_TIMEOUT'), 'write', 'f/t');
    expect(timeout.retriable).toBe(true);
    const missing = warehouseError(
      mysqlErr(1146, 'ER_NO_SUCH_TABLE', "Table 'x' doesn't exist"),
      'write',
      'f/t',
    );
    expect([missing.code, missing.retriable, missing.message]).toEqual([
      'MYSQL_QUERY_FAILED',
      false,
      "warehouse: write f/t: Table 'x' doesn't exist",
    ]);
    expect(missing.context).toEqual({ mysqlErrno: 1146, mysqlCode: 'ER_NO_SUCH_TABLE' });
  });
});
