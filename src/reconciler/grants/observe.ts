/**
 * Observes roles and table grants: one query each on the `mysql` system tables (readable on MySQL 8 and MariaDB
 * alike; a read-only account needs SELECT on mysql.user and mysql.tables_priv). Read-only.
 */
import type { Connection, RowDataPacket } from '../../clients/mysql.js';

export interface ObservedGrants {
  /** Existing accounts among the relevant role names. */
  roles: Set<string>;
  /** `role@table` for every account holding SELECT on a relevant table of this database. */
  grants: Set<string>;
}

export async function observeGrants(
  db: Connection,
  roles: readonly string[],
  tables: readonly string[],
): Promise<ObservedGrants> {
  const out: ObservedGrants = { roles: new Set(), grants: new Set() };
  const [roleRows, grantRows] = await Promise.all([
    roles.length === 0
      ? Promise.resolve([[]] as [RowDataPacket[]])
      : db.query<RowDataPacket[]>('SELECT DISTINCT User AS u FROM mysql.user WHERE User IN (?)', [roles]),
    tables.length === 0
      ? Promise.resolve([[]] as [RowDataPacket[]])
      : db.query<RowDataPacket[]>(
          'SELECT User AS u, Table_name AS t, Table_priv AS p FROM mysql.tables_priv WHERE Db = DATABASE() AND Table_name IN (?)',
          [tables],
        ),
  ]);
  for (const r of roleRows[0]) out.roles.add(String(r.u));
  for (const r of grantRows[0]) {
    if (String(r.p).toLowerCase().split(',').includes('select'))
      out.grants.add(`${String(r.u)}@${String(r.t)}`);
  }
  return out;
}
