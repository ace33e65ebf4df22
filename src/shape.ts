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
