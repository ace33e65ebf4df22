/**
 * The feeds retention acts on, from the control plane: only feeds feedctl manages (`managed_by = 'feedctl'`) with
 * a retention policy, and a warehouse table only when feedctl owns it (its inventory).
 */
import type { Connection, Pool, RowDataPacket } from '../../clients/mysql.js';

export interface RetentionFeed {
  name: string;
  type: 'stream' | 'table';
  enabled: boolean;
  lake: boolean;
  /** The warehouse table feedctl owns, or null (no warehouse, or a table it does not own). */
  table: string | null;
  days: number | null;
  versions: number | null;
  autoDelete: boolean;
}

const SQL = `SELECT f.feed_name, f.feed_type, f.enabled, f.destination, f.warehouse_table,
    r.retention_days, r.retention_versions, r.auto_delete, i.resource_id IS NOT NULL AS owned
  FROM feed_registry f
  JOIN data_retention_policies r ON r.feed_name = f.feed_name
  LEFT JOIN feedctl_inventory i ON i.resource_kind = 'table' AND i.resource_id = f.warehouse_table
  WHERE f.managed_by = 'feedctl'
  ORDER BY f.feed_name`;

export async function retentionFeeds(db: Connection | Pool): Promise<RetentionFeed[]> {
  const [rows] = await db.query<RowDataPacket[]>(SQL);
  return rows.map((r) => ({
    name: String(r.feed_name),
    type: r.feed_type === 'table' ? 'table' : 'stream',
    enabled: Boolean(r.enabled),
    lake: r.destination === 'data_lake' || r.destination === 'both',
    table:
      (r.destination === 'data_warehouse' || r.destination === 'both') && Number(r.owned) === 1
        ? String(r.warehouse_table)
        : null,
    days: r.retention_days === null ? null : Number(r.retention_days),
    versions: r.retention_versions === null ? null : Number(r.retention_versions),
    autoDelete: Boolean(r.auto_delete),
  }));
}
