/**
 * Desired warehouse tables, from the manifests alone (pure). The shape is the seed runbook's — auto-increment id,
 * the feed's fields, `snapshot_date`, `snapshot_version`, `created_at`, `updated_at`, an index per key field and
 * on each snapshot column, the unique key `(key…, snapshot_date, snapshot_version)`, InnoDB, utf8mb4 — plus the
 * exact collation of string key columns (a Kafka key is bytes: `abc` and `ABC` are two rows), and the lineage
 * the exactly-once warehouse sink needs: `_event_time` (the out-of-order guard), `_kafka_partition` and
 * `_kafka_offset`.
 *
 * Row rules (documented in the README): `snapshot_date` is the UTC date of the event time; `snapshot_version` is
 * the snapshot number for table feeds and 0 for streams, which are unversioned.
 */
import { internalError } from '../../errors.js';
import { SYSTEM_COLUMNS } from '../../shape.js';
import type { Config } from '../../config/config.js';
import type { FeedSpec, FieldSpec } from '../../feeds/types.js';
import { fieldCollation, sqlColumnType } from '../../feeds/sql-types.js';

/** One column in normal form (see normalize.ts): what observe() produces and what diff() compares. */
export interface ColumnDef {
  name: string;
  /** Normalized column type, e.g. `varchar(64)`, `decimal(15,2)`, `datetime(3)`. */
  type: string;
  nullable: boolean;
  /** Normalized default expression (`current_timestamp`), or null for none. */
  default: string | null;
  /** `auto_increment`, `on update current_timestamp`, or null. */
  extra: string | null;
  /**
   * Collation of a string column, null for other types. Desired tables hold the manifest's intent (`exact`,
   * `unicode_ci`); the diff resolves it to the server's name (collations.ts), which is what observe() reports.
   */
  collation: string | null;
}

/** A secondary index (the primary key is always `id` and is not listed). */
export interface IndexDef {
  name: string;
  columns: string[];
  unique: boolean;
}

/** A warehouse table as feedctl wants it. Invariant: column and index names are safe identifiers. */
export interface TableDef {
  name: string;
  feed: string;
  /** The manifest takes over a table feedctl did not create. */
  adopt: boolean;
  /** In table order: id, the feed's fields, then the system columns. */
  columns: ColumnDef[];
  indexes: IndexDef[];
  comment: string;
}

/** The unique key that upserts use. */
export const UNIQUE_KEY_NAME = 'unique_snapshot';

const col = (
  name: string,
  type: string,
  nullable = false,
  def: string | null = null,
  extra: string | null = null,
): ColumnDef => ({ name, type, nullable, default: def, extra, collation: null });

/** The column of a feed field; strings compare exactly when they identify a row (key fields) unless told otherwise. */
function fieldColumn(f: FieldSpec, key: readonly string[]): ColumnDef {
  const column = col(f.name, sqlColumnType(f.type), f.nullable);
  if (f.type.kind !== 'string') return column;
  return { ...column, collation: fieldCollation(f.collation, key.includes(f.name)) };
}

/** The table of one feed whose warehouse destination is on (callers filter). */
export function desiredTable(feed: FeedSpec): TableDef {
  const table = feed.destinations.warehouse.table;
  if (table === null) throw internalError('tables', 'desired', `feed ${feed.name} has no warehouse table`);
  const s = SYSTEM_COLUMNS;
  const columns: ColumnDef[] = [
    col(s.id, 'bigint', false, null, 'auto_increment'),
    ...feed.schema.fields.map((f) => fieldColumn(f, feed.schema.key)),
    col(s.snapshotDate, 'date'),
    col(s.snapshotVersion, 'int'),
    col(s.eventTime, 'datetime(3)'),
    col(s.partition, 'int'),
    col(s.offset, 'bigint'),
    col(s.createdAt, 'timestamp', false, 'current_timestamp'),
    col(s.updatedAt, 'timestamp', false, 'current_timestamp', 'on update current_timestamp'),
  ];
  const indexes: IndexDef[] = [
    ...feed.schema.key.map((k) => ({ name: `idx_${k}`, columns: [k], unique: false })),
    { name: `idx_${s.snapshotDate}`, columns: [s.snapshotDate], unique: false },
    { name: `idx_${s.snapshotVersion}`, columns: [s.snapshotVersion], unique: false },
    {
      name: UNIQUE_KEY_NAME,
      columns: [...feed.schema.key, s.snapshotDate, s.snapshotVersion],
      unique: true,
    },
  ];
  return {
    name: table,
    feed: feed.name,
    adopt: feed.destinations.warehouse.adopt,
    columns,
    indexes,
    comment: `feed ${feed.name}: ${feed.metadata.description ?? `${feed.type} from Kafka`}`.slice(0, 1024),
  };
}

/** Every desired table, in manifest order. */
export function desiredTables(feeds: FeedSpec[], _config: Config): TableDef[] {
  return feeds.filter((f) => f.destinations.warehouse.enabled).map(desiredTable);
}
