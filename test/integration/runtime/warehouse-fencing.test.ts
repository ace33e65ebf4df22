import { describe, expect, it } from 'vitest';
import { FeedctlError } from '../../../src/errors.js';
import type { RowDataPacket } from '../../../src/clients/mysql.js';
import { retry } from '../../../src/runtime/retry.js';
import type { WarehouseBatch } from '../../../src/runtime/warehouse/sink.js';
import { customerEvent, rec, useWarehouse } from './warehouse-fixture.js';

const wh = useWarehouse('wh_fence');
const T = Date.UTC(2025, 4, 1, 8, 0, 0);

/** Records [from, to) of a partition, with ids telling which consumer wrote them. */
function batch(tag: string, from: number, to: number, partition = 0): WarehouseBatch {
  const records = [];
  for (let o = from; o < to; o++) records.push(rec(partition, o, T + o, customerEvent(`${tag}-${o}`, T + o)));
  return { partition, records, nextOffset: to };
}

async function fenced(p: Promise<unknown>): Promise<FeedctlError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedctlError);
  return err as FeedctlError;
}

async function idsLike(prefix: string): Promise<number> {
  const rows = await wh.sql<RowDataPacket[]>('SELECT COUNT(*) AS n FROM fact_wh_feed WHERE event_id LIKE ?', [
    `${prefix}-%`,
  ]);
  return Number(rows[0]?.n);
}

describe('warehouse offset fencing', () => {
  it('refuses a stale consumer, which never moves offsets backwards, until it re-seeks', async () => {
    const a = wh.sink({ generation: 1 });
    const b = wh.sink({ generation: 2 });
    expect(await a.loadOffsets([0])).toEqual(new Map([[0, null]]));
    expect(await b.loadOffsets([0])).toEqual(new Map([[0, null]]));

    await a.write([batch('a', 0, 10)]);
    const err = await fenced(b.write([batch('b', 0, 10)]));
    expect([err.code, err.retriable, err.context]).toEqual([
      'OFFSET_FENCED',
      false,
      { partition: 0, expected: null, stored: 10 },
    ]);
    expect(await idsLike('b')).toBe(0);

    expect(await b.loadOffsets([0])).toEqual(new Map([[0, 10]]));
    await b.write([batch('b', 10, 25)]);
    const zombie = await fenced(a.write([batch('a', 10, 20)]));
    expect(zombie.context).toEqual({ partition: 0, expected: 10, stored: 25 });
    expect(await wh.storedOffsets()).toEqual({ 0: 25 });
    expect(await idsLike('a')).toBe(10);
    expect(await idsLike('b')).toBe(15);
    const gen = await wh.sql<RowDataPacket[]>('SELECT generation FROM feedctl_offsets WHERE feed_name = ?', [
      wh.feed.name,
    ]);
    expect(Number(gen[0]?.generation)).toBe(2);
  });

  it('lets exactly one of two concurrent first writers commit (the other is fenced after retrying)', async () => {
    const sinks = [wh.sink(), wh.sink()].map((s, i) => ({ s, tag: `race${i}` }));
    const p = 1;
    for (const { s } of sinks) expect(await s.loadOffsets([p])).toEqual(new Map([[p, null]]));
    const results = await Promise.allSettled(
      sinks.map(({ s, tag }) =>
        retry(() => s.write([batch(tag, 0, 200, p)]), { initialDelayMs: 10, maxAttempts: 10 }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as FeedctlError] : []));
    expect(ok).toHaveLength(1);
    expect(failed.map((e) => e.code)).toEqual(['OFFSET_FENCED']);
    expect((await wh.storedOffsets())[p]).toBe(200);
    expect((await idsLike('race0')) + (await idsLike('race1'))).toBe(200);
  });
});
