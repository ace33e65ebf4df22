/**
 * The normalized desired state of one feed, produced by the manifest loader (src/feeds/load.ts) from a
 * `kind: Feed` YAML manifest after validation and defaulting. Everything downstream (reconciler, runtime) reads
 * this type only, never raw YAML.
 *
 * Invariants, guaranteed by the loader:
 * - every name (feed, topic, table, column, role) passed the identifier checks of src/feeds/names.ts;
 * - every default is applied: no optional property is left undefined except where `null` is documented;
 * - `schema.key` names existing, non-nullable fields; `access.roles` is sorted and unique;
 * - `topic.configs` values are strings, keys sorted;
 * - `destinations.warehouse.table` is non-null when the warehouse is enabled; at least one destination is enabled;
 * - `retention.days` is set for streams and `retention.versions` for tables (the other is null).
 */
/** Where a feed's data goes: the Parquet lake and the MySQL warehouse (one consumer group each). */
export type Destination = 'lake' | 'warehouse';

/** Every destination, in the order plans, status and workers list them. */
export const DESTINATIONS: readonly Destination[] = ['lake', 'warehouse'];

export interface FeedSpec {
  /** `metadata.name`: the feed's unique name (the registry's `feed_name`); `[a-z][a-z0-9_]*`, ≤ 64 chars. */
  name: string;
  /** Path of the manifest, relative to the current directory, for messages and the registry. */
  manifestPath: string;
  metadata: { owner: string | null; description: string | null; labels: Record<string, string> };
  /** `stream`: append-only, partitioned by event date. `table`: full snapshots, partitioned by version. */
  type: FeedType;
  enabled: boolean;
  topic: TopicSpec;
  schema: SchemaSpec;
  destinations: { lake: LakeSpec; warehouse: WarehouseSpec };
  retention: RetentionSpec;
  access: { roles: string[] };
  deadLetter: { enabled: boolean; topic: string };
  /** Table feeds only (null for streams): how records carry their snapshot version and how a version ends. */
  snapshot: SnapshotSpec | null;
}

/**
 * The snapshot contract of a table feed. Every data record carries its version (a positive integer ≤ 2^31 − 1),
 * in a header or a field; a version ends (is sealed) per `seal`: `marker` — an end-marker record on every partition
 * (header `snapshot_end` = version, empty value, optional `snapshot_rows`); `nextVersion` — a record of a higher
 * version on every partition; `idle` — no record on any partition for `idleSeconds`.
 */
export interface SnapshotSpec {
  version: { source: 'header' | 'field'; name: string };
  seal: { mode: 'marker' } | { mode: 'nextVersion' } | { mode: 'idle'; idleSeconds: number };
}

/** Record headers of the snapshot contract (fixed names; the version header is configurable). */
export const SNAPSHOT_HEADERS = {
  version: 'snapshot_version',
  end: 'snapshot_end',
  rows: 'snapshot_rows',
  date: 'snapshot_date',
} as const;

/** The highest snapshot version (the warehouse's `snapshot_version` is a signed INT). */
export const MAX_SNAPSHOT_VERSION = 2_147_483_647;

export type FeedType = 'stream' | 'table';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** null = the cluster default from config (`kafka.defaultReplicationFactor`). */
  replicationFactor: number | null;
  /** Only the configs named here are managed; broker defaults are never a diff. */
  configs: Record<string, string>;
  /** Take over an existing topic feedctl did not create. */
  adopt: boolean;
}

export type FieldType =
  | { kind: 'string'; maxLength: number | null }
  | { kind: 'int' }
  | { kind: 'bigint' }
  | { kind: 'float' }
  | { kind: 'double' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'json' };

/**
 * How a string column compares in the warehouse: `exact` byte by byte, `unicode_ci` ignoring case, accents and
 * trailing spaces (readable search and sorting, but `abc`, `ABC`, `abc ` and `àbc` are then one key).
 */
export type FieldCollation = 'exact' | 'unicode_ci';

export interface FieldSpec {
  /**
   * The field's column in the warehouse and the lake (the manifest's `column`, else its `name`); key, event time and
   * snapshot version name fields by it. Everything but the decoder uses this name.
   */
  name: string;
  /** The message's JSON property the field is read from (the manifest's `name`); equal to `name` unless mapped. */
  property: string;
  type: FieldType;
  nullable: boolean;
  description: string | null;
  /** Strings only: how the warehouse column compares; null = the default (`exact` for key fields, else `unicode_ci`). */
  collation: FieldCollation | null;
}

export interface SchemaSpec {
  fields: FieldSpec[];
  /** Key field names, in declaration order of `schema.key`. */
  key: string[];
  /** Where the event time comes from: a `timestamp`/`date` field, or the Kafka record timestamp. */
  eventTime: { source: 'field'; field: string } | { source: 'kafka' };
  /** Strings UTF-8 cannot hold (lone UTF-16 surrogates): dead-lettered, or stored with U+FFFD in their place. */
  invalidUnicode: InvalidUnicode;
}

export type InvalidUnicode = 'reject' | 'replace';

export type LakeCompression = 'snappy' | 'zstd' | 'gzip' | 'lz4' | 'none';

export interface LakeSpec {
  enabled: boolean;
  compression: LakeCompression;
  /** A file is flushed when any threshold is reached. */
  flush: { maxRows: number; maxBytes: number; idleSeconds: number };
}

export interface WarehouseSpec {
  enabled: boolean;
  table: string | null;
  /** Take over an existing table feedctl did not create. */
  adopt: boolean;
}

export interface RetentionSpec {
  days: number | null;
  versions: number | null;
  autoDelete: boolean;
}
