/**
 * Exactly-once progress of the warehouse sink in `feedctl_offsets` (migrations/0004_runtime.up.sql): the next
 * offset to read per topic partition, written in the same transaction as the rows it covers.
 *
 * Fencing: a write first locks its partitions' rows (`FOR UPDATE`) and compares each with the offset the sink
 * expects to start from (what it loaded or last committed; null = no row yet). A mismatch means another consumer
 * (the new owner after a rebalance, or this one's commit whose answer was lost) moved the partition: the batch is
 * refused with OFFSET_FENCED and the consumer re-seeks from {@link readOffsets}. Under REPEATABLE READ (set by
 * the sink) a missing row is gap-locked, so two first writers conflict too (one gets a deadlock and retries).
 */
import type { Statement } from '../../shape.js';
import { FeedctlError } from '../../errors.js';
import type { Connection, RowDataPacket } from '../../clients/mysql.js';

/** The `destination` of the sink's rows. */
export const DESTINATION = 'warehouse';

/** Which offsets rows: one feed's warehouse progress on one topic. */
export interface OffsetsScope {
  feed: string;
  topic: string;
}

/** Next offset per partition, null when none is stored. */
export type Offsets = Map<number, number | null>;

/** SELECT of the partitions' rows, locking them when `lock`. `partitions` is non-empty. */
export function selectOffsetsSql(s: OffsetsScope, partitions: readonly number[], lock: boolean): Statement {
  return {
    sql:
      'SELECT partition_id, next_offset FROM feedctl_offsets' +
      ' WHERE feed_name = ? AND destination = ? AND topic = ? AND partition_id IN (?)' +
      (lock ? ' ORDER BY partition_id FOR UPDATE' : ''),
    values: [s.feed, DESTINATION, s.topic, [...partitions]],
  };
}

/** One multi-row upsert of the partitions' next offsets, stamped with the writer's generation. */
export function storeOffsetsSql(
  s: OffsetsScope,
  generation: number,
  next: ReadonlyMap<number, number>,
): Statement {
  const rows = [...next].map(([partition, offset]) => [
    s.feed,
    DESTINATION,
    s.topic,
    partition,
    offset,
    generation,
  ]);
  return {
    sql:
      'INSERT INTO feedctl_offsets (feed_name, destination, topic, partition_id, next_offset, generation)' +
      ' VALUES ? ON DUPLICATE KEY UPDATE next_offset = VALUES(next_offset), generation = VALUES(generation)',
    values: [rows],
  };
}

/** Reads the stored next offsets of `partitions` (every one present in the result, null when none). */
export async function readOffsets(
  conn: Connection,
  s: OffsetsScope,
  partitions: readonly number[],
  lock: boolean,
): Promise<Offsets> {
  const out: Offsets = new Map(partitions.map((p) => [p, null]));
  if (partitions.length === 0) return out;
  const q = selectOffsetsSql(s, partitions, lock);
  const [rows] = await conn.query<RowDataPacket[]>(q.sql, q.values);
  for (const r of rows) out.set(Number(r.partition_id), Number(r.next_offset));
  return out;
}

/** Throws OFFSET_FENCED (not retriable: re-seek instead) at the first partition whose stored offset differs. */
export function checkFence(s: OffsetsScope, expected: Offsets, stored: Offsets): void {
  for (const [partition, want] of expected) {
    const have = stored.get(partition) ?? null;
    if (have === want) continue;
    throw new FeedctlError(
      'OFFSET_FENCED',
      `partition ${partition} is at ${have ?? 'no offset'}, this consumer expected ${want ?? 'no offset'}`,
      {
        subsystem: 'warehouse',
        action: 'commit offsets',
        id: `${s.feed}/${s.topic}`,
        retriable: false,
        context: { partition, expected: want, stored: have },
      },
    );
  }
}
