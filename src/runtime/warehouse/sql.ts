/**
 * The warehouse upsert (pure): one multi-row `INSERT … ON DUPLICATE KEY UPDATE` per chunk of rows, into the table
 * shape of src/reconciler/tables/desired.ts. Identifiers go through quoteIdent, values are parameters. Portable to
 * MySQL 8 and MariaDB 10.6+: it uses `VALUES(col)` (MariaDB has no `AS new` row alias).
 *
 * The out-of-order guard: a stored row is replaced only when the incoming `(_event_time, _kafka_offset)` is ≥ the
 * stored one, compared lexicographically; equal means an idempotent replay. Offsets are only a tie-breaker for one
 * event time (offsets of different partitions are not comparable, event times are).
 *
 * Why the assignment order matters: MySQL and MariaDB evaluate `a = …, b = …` left to right, and a later
 * assignment sees the columns already assigned. Every assignment repeats the guard, which reads `_event_time` and
 * `_kafka_offset`; the order below makes every repetition agree with the first one:
 * 1. the data columns and `_kafka_partition`: the guard still reads the stored pair, so all agree;
 * 2. `_kafka_offset`: still reads the stored pair; if the guard held it now holds the incoming offset, otherwise
 *    it is unchanged;
 * 3. `_event_time`, last: it reads the stored `_event_time` and the offset of step 2. If the guard held, either
 *    the incoming time is greater (still true) or the times are equal and it compares the incoming offset with
 *    itself (≥ holds): true again. If it did not hold, nothing changed, so it is false again. Consistent. A stored
 *    `_event_time` that is NULL stays NULL until this last step, so every repetition holds.
 * Assigning `_event_time` before `_kafka_offset` would break this: after a newer event with a lower offset (another
 * partition) set `_event_time`, the offset's guard would compare equal times and refuse, leaving a mixed row.
 * Inside one multi-row statement each row is applied in order against the row as left by the previous one, so
 * several versions of a key in one chunk also keep the newest.
 *
 * Key and snapshot columns are not assigned: the duplicate is found on `unique_snapshot`, so they already match.
 * String key columns compare byte-exact unless a manifest chose `collation: unicode_ci`; then `ABC` finds the row
 * of `abc`, which keeps its first spelling.
 */
import { internalError } from '../../errors.js';
import type { FeedSpec } from '../../feeds/types.js';
import { SYSTEM_COLUMNS, type Statement } from '../../shape.js';
import { quoteIdent } from '../../sql/ident.js';
import type { SqlValue } from './values.js';

/** Most rows in one statement: large enough to amortize the round trip, small enough for short lock holds. */
export const MAX_CHUNK_ROWS = 1000;

/** The system columns a row carries after the feed's fields, in VALUES order (see values.ts rowValues). */
export const ROW_SYSTEM_COLUMNS = [
  SYSTEM_COLUMNS.snapshotDate,
  SYSTEM_COLUMNS.snapshotVersion,
  SYSTEM_COLUMNS.eventTime,
  SYSTEM_COLUMNS.partition,
  SYSTEM_COLUMNS.offset,
] as const;

/**
 * The upsert of one feed table, rendered once: a chunk only repeats `row`. Invariant: `row` has one placeholder
 * per entry of `columns`, and `sql = head + row × n (comma-separated) + tail`.
 */
export interface UpsertTemplate {
  table: string;
  /** Column names in VALUES order: the feed's fields, then ROW_SYSTEM_COLUMNS. */
  columns: readonly string[];
  head: string;
  row: string;
  tail: string;
}

const ET = quoteIdent(SYSTEM_COLUMNS.eventTime);
const OFF = quoteIdent(SYSTEM_COLUMNS.offset);

/**
 * True when the incoming row is not older than the stored one: `(VALUES(et), VALUES(off)) >= (et, off)`. A stored
 * row without lineage (`_event_time` NULL: a row written before feedctl adopted its table) is older than any.
 */
export const GUARD = `(${ET} IS NULL OR VALUES(${ET}) > ${ET} OR (VALUES(${ET}) = ${ET} AND VALUES(${OFF}) >= ${OFF}))`;

/** `c = IF(<guard>, VALUES(c), c)`. */
export function guardedAssignment(column: string): string {
  const c = quoteIdent(column);
  return `${c} = IF(${GUARD}, VALUES(${c}), ${c})`;
}

/** Columns assigned on a duplicate, in the order the guard needs (see the module comment). */
export function updateOrder(feed: FeedSpec): string[] {
  return [
    ...feed.schema.fields.map((f) => f.name),
    SYSTEM_COLUMNS.partition,
    SYSTEM_COLUMNS.offset,
    SYSTEM_COLUMNS.eventTime,
  ];
}

/** The template of a feed whose warehouse destination is on. */
export function upsertTemplate(feed: FeedSpec): UpsertTemplate {
  const table = feed.destinations.warehouse.table;
  if (table === null)
    throw internalError('warehouse', 'statements', `feed ${feed.name} has no warehouse table`);
  const columns = [...feed.schema.fields.map((f) => f.name), ...ROW_SYSTEM_COLUMNS];
  return {
    table,
    columns,
    head: `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) VALUES `,
    row: `(${columns.map(() => '?').join(', ')})`,
    tail: ` ON DUPLICATE KEY UPDATE ${updateOrder(feed).map(guardedAssignment).join(', ')}`,
  };
}

/** The statement for one chunk (1..MAX_CHUNK_ROWS rows, each with `columns.length` values). */
export function upsertStatement(t: UpsertTemplate, rows: readonly (readonly SqlValue[])[]): Statement {
  if (rows.length === 0 || rows.length > MAX_CHUNK_ROWS) {
    throw internalError('warehouse', 'upsert', `${rows.length} rows (1..${MAX_CHUNK_ROWS})`);
  }
  const values: SqlValue[] = [];
  for (const r of rows) {
    if (r.length !== t.columns.length) {
      throw internalError('warehouse', 'upsert', `row of ${r.length} values for ${t.columns.length} columns`);
    }
    for (const v of r) values.push(v);
  }
  return { sql: t.head + new Array<string>(rows.length).fill(t.row).join(', ') + t.tail, values };
}
