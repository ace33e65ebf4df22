/**
 * The buffered rows of one topic partition, split by partition key (one {@link KeyBatch} per key), and their
 * encoding as one Parquet file per key. Pure and synchronous: the same code buffers on the main thread
 * (buffers.ts) and in a lake lane thread (lane-thread.ts).
 */
import type { Schema } from 'apache-arrow';
import type { FeedSpec } from '../../feeds/types.js';
import type { RecordMeta } from '../decode/coerce.js';
import type { FastRow } from '../decode/fast-row.js';
import type { DecodedRecord } from '../record.js';
import { KeyBatch } from './batch.js';
import type { EncodedGroup } from './lane-protocol.js';
import { METADATA_KEYS, parquetBytes } from './parquet.js';
import type { Partitioner } from './partitioner.js';
import { arrowSchema, lakeColumns, type LakeColumn } from './schema.js';

/** What every key group of a feed shares: its column layout, Arrow schema and partitioner. */
export interface GroupLayout {
  columns: LakeColumn[];
  schema: Schema;
  partitioner: Partitioner;
  compression: FeedSpec['destinations']['lake']['compression'];
}

export function groupLayout(spec: FeedSpec, partitioner: Partitioner): GroupLayout {
  const columns = lakeColumns(spec.schema.fields);
  return {
    columns,
    schema: arrowSchema(columns),
    partitioner,
    compression: spec.destinations.lake.compression,
  };
}

export class KeyGroups {
  private readonly groups = new Map<number, KeyBatch>();
  rows = 0;

  constructor(private readonly layout: GroupLayout) {}

  /** Approximate bytes buffered (uncompressed columns). */
  get bytes(): number {
    let bytes = 0;
    for (const b of this.groups.values()) bytes += b.bytes;
    return bytes;
  }

  /** Appends one record (in offset order) to its key's batch. */
  append(r: DecodedRecord, nowMs: number): void {
    this.batchOf(this.layout.partitioner.keyOf(r)).append(r, nowMs);
    this.rows += 1;
  }

  /**
   * Appends a row the fast path read from `bytes` (decode/fast-row.ts), in offset order. Precondition: the
   * layout's partitioner has `keyOfEventTime`.
   */
  appendFast(row: FastRow, bytes: Uint8Array, at: RecordMeta, nowMs: number): void {
    const keyOf = this.layout.partitioner.keyOfEventTime as (ms: number) => number;
    this.batchOf(keyOf(row.eventTimeMs)).appendFast(row, bytes, at, nowMs);
    this.rows += 1;
  }

  private batchOf(key: number): KeyBatch {
    let batch = this.groups.get(key);
    if (!batch) this.groups.set(key, (batch = new KeyBatch(this.layout.columns, key)));
    return batch;
  }

  /** One Parquet file per key, in key order, each with `metadata` and its offsets. Ends the groups' use. */
  encode(metadata: Readonly<Record<string, string>>): EncodedGroup[] {
    const k = METADATA_KEYS;
    return [...this.groups.values()]
      .sort((a, b) => a.key - b.key)
      .map((g) => ({
        key: g.key,
        rows: g.rows,
        firstOffset: g.firstOffset,
        lastOffset: g.lastOffset,
        bytes: parquetBytes(g.toTable(this.layout.schema), this.layout.compression, {
          ...metadata,
          [k.firstOffset]: String(g.firstOffset),
          [k.lastOffset]: String(g.lastOffset),
        }),
      }));
  }
}
