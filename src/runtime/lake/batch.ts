/**
 * The buffered records of one topic partition for one partition key (a UTC event day, a snapshot version), held
 * as column buffers (pure, in memory): the content of exactly one lake file.
 */
import { makeData, RecordBatch, Struct, Table, type Schema } from 'apache-arrow';
import { causeText, FeedctlError } from '../../errors.js';
import type { FastRow } from '../decode/fast-row.js';
import type { RecordMeta } from '../decode/coerce.js';
import type { DecodedRecord } from '../record.js';
import { columnBuilder, type ColumnBuilder } from './columns.js';
import { LINEAGE_COLUMNS, type LakeColumn } from './schema.js';

/** Invariant: rows were appended in increasing offset order, so `firstOffset`/`lastOffset` bound them. */
export class KeyBatch {
  private readonly builders: ColumnBuilder[];
  private readonly fieldCount: number;
  rows = 0;
  firstOffset = -1;
  lastOffset = -1;

  /** `columns` is a feed layout from lakeColumns(): the feed's fields, then the lineage columns. */
  constructor(
    columns: readonly LakeColumn[],
    readonly key: number,
  ) {
    this.builders = columns.map(columnBuilder);
    this.fieldCount = columns.length - LINEAGE_COLUMNS.length;
  }

  /** Bytes buffered across columns (approximate uncompressed size). */
  get bytes(): number {
    let sum = 0;
    for (const b of this.builders) sum += b.bytes;
    return sum;
  }

  /**
   * Appends one record with its lineage. A record that breaks the DecodedRecord contract throws INTERNAL and leaves
   * the batch unusable (some columns may hold the row): the caller drops the batch.
   */
  append(r: DecodedRecord, ingestedAtMs: number): void {
    const n = this.fieldCount;
    const b = this.builders;
    if (r.values.length !== n) throw appendFailed(r, `${r.values.length} values for ${n} fields`);
    try {
      for (let i = 0; i < n; i++) b[i]!.append(r.values[i]!);
    } catch (err) {
      throw appendFailed(r, err);
    }
    this.lineage(r, ingestedAtMs);
  }

  /** Appends a row read by the fast path from `bytes` (decode/fast-row.ts), with its lineage. */
  appendFast(row: FastRow, bytes: Uint8Array, at: RecordMeta, ingestedAtMs: number): void {
    const n = this.fieldCount;
    const b = this.builders;
    try {
      for (let i = 0; i < n; i++) b[i]!.appendFast(row, i, bytes);
    } catch (err) {
      throw appendFailed(at, err);
    }
    this.lineage(at, ingestedAtMs);
  }

  private lineage(at: RecordMeta, ingestedAtMs: number): void {
    const n = this.fieldCount;
    const b = this.builders;
    try {
      b[n]!.append(at.partition);
      b[n + 1]!.append(at.offset);
      b[n + 2]!.append(at.timestampMs);
      b[n + 3]!.append(ingestedAtMs);
    } catch (err) {
      throw appendFailed(at, err);
    }
    if (this.rows === 0) this.firstOffset = at.offset;
    this.lastOffset = at.offset;
    this.rows += 1;
  }

  /** The rows as an Arrow table of `schema` (the Arrow schema of the same layout). Ends the batch's use. */
  toTable(schema: Schema): Table {
    const children = this.builders.map((b) => b.finish());
    const struct = makeData({ type: new Struct(schema.fields), length: this.rows, nullCount: 0, children });
    return new Table([new RecordBatch(schema, struct)]);
  }
}

/** Why a row could not be appended: a broken contract (INTERNAL), with the message's coordinates. */
function appendFailed(at: RecordMeta, err: unknown): FeedctlError {
  return new FeedctlError('INTERNAL', typeof err === 'string' ? err : causeText(err), {
    subsystem: 'lake',
    action: 'append record',
    id: `p${at.partition}@${at.offset}`,
    cause: err,
  });
}
