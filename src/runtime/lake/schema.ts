/**
 * The lake's column layout for one feed (pure): one column per schema field, in field order, then the lineage
 * columns. Hive columns (year/month/day) are not stored: readers take them from the folder names.
 *
 * | field kind           | Arrow / Parquet                                  |
 * | -------------------- | ------------------------------------------------ |
 * | string, json         | Utf8                                             |
 * | int                  | Int32                                            |
 * | bigint               | Int64                                            |
 * | float / double       | Float32 / Float64                                |
 * | decimal(p ≤ 38, s)   | Decimal128(p, s)                                 |
 * | decimal(p > 38, s)   | Utf8, the exact decimal text (see below)         |
 * | boolean              | Bool                                             |
 * | date                 | Date32 (days)                                    |
 * | timestamp            | Timestamp(ms, "UTC")                             |
 *
 * Decimals above 38 digits: apache-arrow and parquet-wasm round-trip Decimal256, but DuckDB (precision ≤ 38) reads
 * the resulting FIXED_LEN_BYTE_ARRAY(28) column as a wrong DOUBLE, so such decimals are stored as their text.
 */
import { createHash } from 'node:crypto';
import {
  Bool,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  Schema,
  TimeUnit,
  Timestamp,
  Utf8,
  type DataType,
} from 'apache-arrow';
import { FeedctlError } from '../../errors.js';
import type { FieldSpec, FieldType } from '../../feeds/types.js';
import { HIVE_PARTITION_COLUMNS } from '../../shape.js';

/** How a lake column is stored; each kind has one buffer layout in columns.ts. */
export type ColumnType =
  | { kind: 'utf8' }
  | { kind: 'int32' }
  | { kind: 'int64' }
  | { kind: 'float32' }
  | { kind: 'float64' }
  | { kind: 'decimal128'; precision: number; scale: number }
  | { kind: 'bool' }
  | { kind: 'date32' }
  | { kind: 'timestampMs' };

/** One column of a lake file. Invariant: names are unique within a feed's layout. */
export interface LakeColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

/** The largest decimal precision stored as Decimal128; wider decimals are stored as text. */
export const DECIMAL128_MAX_PRECISION = 38;

/** Lineage columns, appended after the feed's fields in every stream file. */
export const LINEAGE_COLUMNS: readonly LakeColumn[] = [
  { name: '_kafka_partition', type: { kind: 'int32' }, nullable: false },
  { name: '_kafka_offset', type: { kind: 'int64' }, nullable: false },
  { name: '_kafka_timestamp', type: { kind: 'timestampMs' }, nullable: false },
  { name: '_ingested_at', type: { kind: 'timestampMs' }, nullable: false },
];

/** Names a feed field may not use in the lake: the lineage columns and the hive partition columns. */
export const LAKE_RESERVED_COLUMNS: readonly string[] = [
  ...LINEAGE_COLUMNS.map((c) => c.name),
  ...HIVE_PARTITION_COLUMNS,
];

/** The storage of one field type. */
export function columnType(t: FieldType): ColumnType {
  switch (t.kind) {
    case 'string':
    case 'json':
      return { kind: 'utf8' };
    case 'int':
      return { kind: 'int32' };
    case 'bigint':
      return { kind: 'int64' };
    case 'float':
      return { kind: 'float32' };
    case 'double':
      return { kind: 'float64' };
    case 'decimal':
      return t.precision <= DECIMAL128_MAX_PRECISION
        ? { kind: 'decimal128', precision: t.precision, scale: t.scale }
        : { kind: 'utf8' };
    case 'boolean':
      return { kind: 'bool' };
    case 'date':
      return { kind: 'date32' };
    case 'timestamp':
      return { kind: 'timestampMs' };
  }
}

/** The feed's fields then the lineage columns; throws when a field uses a reserved name. */
export function lakeColumns(fields: readonly FieldSpec[]): LakeColumn[] {
  const clash = fields.find((f) => LAKE_RESERVED_COLUMNS.includes(f.name));
  if (clash) {
    throw new FeedctlError('VALIDATION_FAILED', `field name ${clash.name} is reserved in the lake`, {
      subsystem: 'lake',
      action: 'map schema',
      id: clash.name,
      context: { reserved: LAKE_RESERVED_COLUMNS },
    });
  }
  const own = fields.map((f) => ({ name: f.name, type: columnType(f.type), nullable: f.nullable }));
  return [...own, ...LINEAGE_COLUMNS];
}

/** The Arrow type of a column type. */
export function arrowType(t: ColumnType): DataType {
  switch (t.kind) {
    case 'utf8':
      return new Utf8();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'decimal128':
      return new Decimal(t.scale, t.precision, 128);
    case 'bool':
      return new Bool();
    case 'date32':
      return new DateDay();
    case 'timestampMs':
      return new Timestamp(TimeUnit.MILLISECOND, 'UTC');
  }
}

/** The Arrow schema of a layout. */
export function arrowSchema(columns: readonly LakeColumn[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, arrowType(c.type), c.nullable)));
}

/** A stable hash of a layout (names, storage, nullability): equal hashes mean files are union-compatible. */
export function schemaHash(columns: readonly LakeColumn[]): string {
  const text = JSON.stringify(columns.map((c) => [c.name, c.type, c.nullable]));
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
