import { describe, expect, it } from 'vitest';
import { FeedctlError } from '../../../src/errors.js';
import { connectMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import type { DecodedRecord } from '../../../src/runtime/record.js';
import type { BeforeCommit, WarehouseBatch, WarehouseSink } from '../../../src/runtime/warehouse/sink.js';
import {
  customerEvent,
  killSink,
  openTransactions,
  rec,
  rolledBack,
  useWarehouse,
} from './warehouse-fixture.js';

const wh = useWarehouse('wh_exactly_once');
const T = Date.UTC(2025, 8, 1, 0, 0, 0);
const PARTITIONS = [0, 1];
const LOG_SIZE = 2000;
/** Records per partition per write: 1200 rows, so two statements (1000 + 200 rows). */
const BATCH = 600;

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

/** The session of the test database's transaction that waits on a lock, once there is one. */
async function lockWaitingThread(): Promise<number> {
  for (let i = 0; i < 60; i++) {
    const waiting = (await openTransactions(wh)).find((t) => t.state === 'LOCK WAIT');
    if (waiting) {
      expect(Number(waiting.modified)).toBeGreaterThanOrEqual(1000); // the first statement is in
      return Number(waiting.id);
    }
  }
  throw new Error('the sink never waited on the lock');
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
    let killed = 0;
    const killer: BeforeCommit = async () => {
      killed = await killSink(wh);
    };
    const err = await failure(consume(wh.sink(), { n: 3, beforeCommit: killer }));
    expect([err.code, err.retriable]).toEqual(['MYSQL_UNREACHABLE', true]);
    expect(await wh.storedOffsets()).toEqual({ 0: 2 * BATCH, 1: 2 * BATCH });
    expect(await stored()).toHaveLength(2 * PARTITIONS.length * BATCH);
    await rolledBack(wh, killed); // the server undoes a killed session's work after the client saw it die

    // 2nd process: seeks to the stored offsets and dies mid-transaction: its first statement is in, the second
    // waits on a row lock held by another session, and its connection is killed there
    const blocked = 2 * BATCH + 500; // p1's record in the write's second statement
    const blocker = await connectMysql(wh.env.config);
    try {
      await blocker.query('START TRANSACTION');
      const day = '2025-09-01';
      await blocker.query(
        'INSERT INTO fact_wh_feed (event_id, customer_id, event, occurred_at, snapshot_date, snapshot_version,' +
          ' _event_time, _kafka_partition, _kafka_offset) VALUES (?, ?, ?, ?, ?, 0, ?, 1, 0)',
        [`p1-${blocked}`, 'x', 'x', day, day, day],
      );
      const dying = failure(consume(wh.sink()));
      const victim = await lockWaitingThread();
      await wh.sql(`KILL ${victim}`);
      expect((await dying).code).toBe('MYSQL_UNREACHABLE');
      await rolledBack(wh, victim);
    } finally {
      await blocker.end();
    }
    expect(await wh.storedOffsets()).toEqual({ 0: 2 * BATCH, 1: 2 * BATCH });
    expect(await stored()).toHaveLength(2 * PARTITIONS.length * BATCH);

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
    const killer: BeforeCommit = async () => void (await killSink(wh));
    const extra = rec(0, LOG_SIZE, T, customerEvent('extra', T));
    await sink.loadOffsets([0]);
    const batch = { partition: 0, records: [extra], nextOffset: LOG_SIZE + 1 };
    expect((await failure(sink.write([batch], killer))).code).toBe('MYSQL_UNREACHABLE');
    expect(await sink.write([batch])).toEqual({ rows: 1, rejected: 0 });
    expect((await wh.storedOffsets())[0]).toBe(LOG_SIZE + 1);
  });
});
