/**
 * The buffered rows of one topic partition, split by partition key (one {@link KeyBatch} per key), and their
 * encoding as one Parquet file per key. Pure and synchronous: the same code buffers on the main thread
 * (buffers.ts) and in a lake lane thread (lane-thread.ts).
 */
import type { Schema } from 'apache-arrow';
import type { FeedSpec } from '../../feeds/types.js';
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
    const key = this.layout.partitioner.keyOf(r);
    let batch = this.groups.get(key);
    if (!batch) this.groups.set(key, (batch = new KeyBatch(this.layout.columns, key)));
    batch.append(r, nowMs);
    this.rows += 1;
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
