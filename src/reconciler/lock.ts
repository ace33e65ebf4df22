/**
 * One applier at a time per database: a MySQL named lock (GET_LOCK), held on the session's connection for the
 * whole apply. A second reconcile waits up to its timeout, then gives up with a clear message.
 */
import type { Connection, RowDataPacket } from '../clients/mysql.js';
import { FeedctlError } from '../errors.js';
import { lockName } from '../sql/locks.js';

/** Runs `fn` holding the database's apply lock; throws LOCK_TIMEOUT when another applier keeps it past the timeout. */
export async function withApplyLock<T>(
  db: Connection,
  database: string,
  timeoutSeconds: number,
  fn: () => Promise<T>,
): Promise<T> {
  const name = lockName(database, 'apply');
  const [rows] = await db.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [name, timeoutSeconds]);
  if (rows[0]?.got !== 1) {
    throw new FeedctlError(
      'LOCK_TIMEOUT',
      `another reconcile is applying changes to ${database}; waited ${timeoutSeconds} s — try again when it has finished`,
      { subsystem: 'reconciler', action: 'lock', id: database, retriable: true },
    );
  }
  try {
    return await fn();
  } finally {
    await db.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
  }
}
