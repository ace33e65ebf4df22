import { describe, expect, it } from 'vitest';
import { FeedctlError } from '../../../src/errors.js';
import type { RowDataPacket } from '../../../src/clients/mysql.js';
import type { DecodedRecord } from '../../../src/runtime/record.js';
import type { BeforeCommit, WarehouseBatch, WarehouseSink } from '../../../src/runtime/warehouse/sink.js';
import { customerEvent, rec, sinkThreadId, useWarehouse } from './warehouse-fixture.js';

const wh = useWarehouse('wh_exactly_once');
const T = Date.UTC(2025, 8, 1, 0, 0, 0);
const PARTITIONS = [0, 1];
const LOG_SIZE = 1200;
const BATCH = 250;

/** The topic as a log: LOG_SIZE records per partition, each with a unique key. */
const log: DecodedRecord[][] = PARTITIONS.map((p) =>
  Array.from({ length: LOG_SIZE }, (_, o) =>
    rec(p, o, T + o * 1000, customerEvent(`p${p}-${o}`, T + o * 1000)),
  ),
);

/** A consumer's poll: up to BATCH records per partition from its positions. */
function poll(position: Map<number, number>): WarehouseBatch[] {
  return PARTITIONS.flatMap((p) => {
    const from = position.get(p) ?? 0;
    const records = (log[p] ?? []).slice(from, from + BATCH);
    return records.length === 0 ? [] : [{ partition: p, records, nextOffset: from + records.length }];
  });
}

/** Starts a consumer on `sink` (seeking to the stored offsets) and runs it until the log ends or a write fails. */
async function consume(sink: WarehouseSink, crashOnWrite?: { n: number; beforeCommit: BeforeCommit }) {
  const position = new Map([...(await sink.loadOffsets(PARTITIONS))].map(([p, o]) => [p, o ?? 0]));
  for (let n = 1; ; n++) {
    const batches = poll(position);
    if (batches.length === 0) return;
    await sink.write(batches, n === crashOnWrite?.n ? crashOnWrite.beforeCommit : undefined);
    for (const b of batches) position.set(b.partition, b.nextOffset);
  }
}

async function stored(): Promise<Array<{ id: string; p: number; o: number }>> {
  const rows = await wh.sql<RowDataPacket[]>(
    'SELECT event_id AS id, _kafka_partition AS p, _kafka_offset AS o FROM fact_wh_feed ORDER BY p, o',
  );
  return rows.map((r) => ({ id: String(r.id), p: Number(r.p), o: Number(r.o) }));
}

async function failure(p: Promise<unknown>): Promise<FeedctlError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedctlError);
  return err as FeedctlError;
}

describe('warehouse exactly-once', () => {
  it('loses nothing and duplicates nothing across killed connections and restarts', async () => {
    // 1st process: two writes commit, the connection is killed before the 3rd commits
    const killer: BeforeCommit = async () => {
      await wh.sql(`KILL ${await sinkThreadId(wh)}`);
    };
    const err = await failure(consume(wh.sink(), { n: 3, beforeCommit: killer }));
    expect([err.code, err.retriable]).toEqual(['MYSQL_UNREACHABLE', true]);
    expect(await wh.storedOffsets()).toEqual({ 0: 2 * BATCH, 1: 2 * BATCH });
    expect(await stored()).toHaveLength(2 * PARTITIONS.length * BATCH);

    // 2nd process: seeks to the stored offsets, and abandons its 2nd transaction (the caller fails before commit)
    const crash = new Error('process dies');
    const abandoned = consume(wh.sink(), {
      n: 2,
      beforeCommit: async () => {
        throw crash;
      },
    });
    await expect(abandoned).rejects.toBe(crash);
    expect(await wh.storedOffsets()).toEqual({ 0: 3 * BATCH, 1: 3 * BATCH });
    expect(await stored()).toHaveLength(3 * PARTITIONS.length * BATCH);

    // 3rd process: replays from the stored offsets to the end
    await consume(wh.sink());
    expect(await wh.storedOffsets()).toEqual({ 0: LOG_SIZE, 1: LOG_SIZE });
    const rows = await stored();
    const expected = log
      .flat()
      .map((r) => ({ id: `p${r.partition}-${r.offset}`, p: r.partition, o: r.offset }));
    expect(rows).toEqual(expected);
  });

  it('recovers on the same one-connection pool after its connection was killed mid-transaction', async () => {
    const pool = wh.pool(1);
    const sink = wh.sink({ pool });
    const killer: BeforeCommit = async () => {
      await wh.sql(`KILL ${await sinkThreadId(wh)}`);
    };
    const extra = rec(0, LOG_SIZE, T, customerEvent('extra', T));
    await sink.loadOffsets([0]);
    const batch = { partition: 0, records: [extra], nextOffset: LOG_SIZE + 1 };
    expect((await failure(sink.write([batch], killer))).code).toBe('MYSQL_UNREACHABLE');
    expect(await sink.write([batch])).toEqual({ rows: 1, rejected: 0 });
    expect((await wh.storedOffsets())[0]).toBe(LOG_SIZE + 1);
  });
});
