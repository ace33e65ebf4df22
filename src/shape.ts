/**
 * The shape feedctl gives a feed's data in its sinks, shared by the manifest checks (src/feeds), the reconciler
 * that creates tables and the runtime that writes them (neither imports the other): the warehouse's system
 * columns, the lake's hive partition columns, and a SQL statement with its parameters.
 */

/** Columns feedctl adds to every warehouse table; a feed field may not use these names. */
export const SYSTEM_COLUMNS = {
  id: 'id',
  snapshotDate: 'snapshot_date',
  snapshotVersion: 'snapshot_version',
  eventTime: '_event_time',
  partition: '_kafka_partition',
  offset: '_kafka_offset',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const;

/** The lake's hive partition columns (`year=/month=/day=` of streams, `version=` of tables): not field names. */
export const HIVE_PARTITION_COLUMNS: readonly string[] = ['year', 'month', 'day', 'version'];

/** A statement and its parameters. */
export interface Statement {
  sql: string;
  values: unknown[];
}

/** The snapshot ledger of table feeds (migrations/0005_snapshots.up.sql). */
export const SNAPSHOT_LEDGER = {
  versions: 'feedctl_snapshot_versions',
  snapshots: 'feedctl_snapshots',
  partitions: 'feedctl_snapshot_partitions',
} as const;

/** A version's state per destination: open → sealed → published (→ expired), or incomplete (never published). */
export type SnapshotState = 'open' | 'sealed' | 'published' | 'incomplete' | 'expired';

/** Appended to a table feed's warehouse table name: the view showing exactly its latest published version. */
export const LATEST_VIEW_SUFFIX = '_latest';

/** The name of the view of a table feed's latest published version. */
export function latestViewName(table: string): string {
  return `${table}${LATEST_VIEW_SUFFIX}`;
}
