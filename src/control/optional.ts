/** Queries of control-plane tables that may not exist yet (the control plane is not migrated): no rows then. */
import { isMissingTable, type Connection, type Pool, type RowDataPacket } from '../clients/mysql.js';

/** The rows of `sql`, none when its table does not exist yet. */
export async function optionalRows(
  db: Connection | Pool,
  sql: string,
  params: unknown[] = [],
): Promise<RowDataPacket[]> {
  try {
    const [rows] = await db.query<RowDataPacket[]>(sql, params);
    return rows;
  } catch (err) {
    if (isMissingTable(err)) return [];
    throw err;
  }
}
