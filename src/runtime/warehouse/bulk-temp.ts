/**
 * The bulk path's session temporary table (bulk-sql.ts has its SQL): created per connection by one sink instance
 * and re-created when another instance uses that connection (a table altered under a new generation gets a
 * temporary table of its new shape), emptied before a write when a load used it since. MEMORY when the template
 * allows it, InnoDB otherwise.
 */
import type { PoolConnection } from '../../clients/mysql.js';
import type { BulkTemplate } from './bulk-sql.js';
import { hasErrno } from './failures.js';
import { refused } from './load-path.js';

/**
 * A connection's temporary table: the rows it may hold before it is emptied (MEMORY), or Infinity (InnoDB), and
 * whether a load may have left rows in it (parts that went straight into the feed's table leave it empty).
 */
export interface TempTable {
  readonly capacity: number;
  dirty: boolean;
}

/** Which sink instance created each connection's temporary tables (by table name), and their state. */
const owners = new WeakMap<object, Map<string, TempTable & { owner: object }>>();

/** errnos of a MEMORY table that cannot be: a BLOB/TEXT column (1163), full (1114). */
export const NOT_IN_MEMORY = new Set([1114, 1163]);

/** errnos of a user without the CREATE TEMPORARY TABLES privilege (1044, 1142, 1227): no bulk path either. */
const TEMP_DENIED = new Set([1044, 1142, 1227]);

/**
 * Creates (or re-creates, for another sink instance) the connection's temporary table, or empties it when a load
 * used it since. Returns it; null when the user may not create temporary tables (taken as a refusal: multi-row
 * upserts from then on). MEMORY is tried first when the template allows it; a table it cannot hold (an adopted
 * table's TEXT column) is made InnoDB.
 */
export async function prepareTemp(
  conn: PoolConnection,
  t: BulkTemplate,
  owner: object,
): Promise<TempTable | null> {
  let mine = owners.get(conn.connection);
  if (mine === undefined) owners.set(conn.connection, (mine = new Map()));
  const known = mine.get(t.temp);
  if (known?.owner === owner) {
    if (known.dirty) await conn.query(t.truncate);
    known.dirty = false;
    return known;
  }
  mine.delete(t.temp);
  await conn.query(t.drop);
  try {
    const table = { owner, capacity: await createTemp(conn, t), dirty: false };
    mine.set(t.temp, table);
    return table;
  } catch (err) {
    if (!hasErrno(err, TEMP_DENIED)) throw err;
    refused(err);
    return null;
  }
}

async function createTemp(conn: PoolConnection, t: BulkTemplate): Promise<number> {
  if (t.create.memory !== null) {
    try {
      await conn.query(t.create.memory);
      return t.memoryRows;
    } catch (err) {
      if (!hasErrno(err, NOT_IN_MEMORY)) throw err;
    }
  }
  await conn.query(t.create.innodb);
  return Infinity;
}
