import { describe, expect, it } from 'vitest';
import { FeedctlError } from '../../../src/errors.js';
import { connectMysql, createMysqlPool, type RowDataPacket } from '../../../src/clients/mysql.js';
import { retry } from '../../../src/runtime/retry.js';
import { WarehouseSink, type WarehouseBatch } from '../../../src/runtime/warehouse/sink.js';
import { customerEvent, rec, useWarehouse } from './warehouse-fixture.js';

const wh = useWarehouse('wh_recovery', { partitions: 1 });
const T = Date.UTC(2025, 10, 11, 11, 0, 0);

function batch(from: number, to: number): WarehouseBatch {
  const records = [];
  for (let o = from; o < to; o++) records.push(rec(0, o, T + o, customerEvent(`e${o}`, T + o)));
  return { partition: 0, records, nextOffset: to };
}

async function rowCount(): Promise<number> {
  return Number((await wh.sql<RowDataPacket[]>('SELECT COUNT(*) AS n FROM fact_wh_feed'))[0]?.n);
}

describe('warehouse sink under infrastructure failures', () => {
  it('reports an unreachable server as retriable MYSQL_UNREACHABLE, which retry() retries', async () => {
    const config = { ...wh.env.config, mysql: { ...wh.env.config.mysql, url: 'mysql://root@127.0.0.1:1' } };
    const pool = createMysqlPool(config, 1);
    const sink = new WarehouseSink({ pool, feed: wh.feed, generation: 1, topic: wh.topic });
    const attempts: number[] = [];
    const err = await retry(() => sink.loadOffsets([0]), {
      initialDelayMs: 5,
      maxAttempts: 3,
      onRetry: (_e, n) => attempts.push(n),
    }).catch((e: unknown) => e);
    await pool.end();
    expect(err).toBeInstanceOf(FeedctlError);
    expect([(err as FeedctlError).code, (err as FeedctlError).retriable]).toEqual([
      'MYSQL_UNREACHABLE',
      true,
    ]);
    expect(attempts).toEqual([1, 2]);
  });

  it('recovers after the server dropped every pooled connection (as on a restart)', async () => {
    const pool = wh.pool(2);
    const sink = wh.sink({ pool });
    await sink.loadOffsets([0]);
    await sink.write([batch(0, 100)]);
    const sessions = await wh.sql<RowDataPacket[]>(
      'SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()',
      [wh.env.config.mysql.database],
    );
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) await wh.sql(`KILL ${Number(s.id)}`);

    await retry(() => sink.write([batch(100, 200)]), { initialDelayMs: 5, maxAttempts: 5 });
    expect(await rowCount()).toBe(200);
    expect(await wh.storedOffsets()).toEqual({ 0: 200 });
  });

  it('rolls back on a lock wait timeout (retriable), then succeeds once the lock is gone', async () => {
    const pool = wh.pool(1);
    pool.on('connection', (c) => void c.query('SET SESSION innodb_lock_wait_timeout = 1'));
    const sink = wh.sink({ pool });
    await sink.loadOffsets([0]);
    const blocker = await connectMysql(wh.env.config);
    try {
      await blocker.query('START TRANSACTION');
      await blocker.query('SELECT * FROM feedctl_offsets WHERE feed_name = ? FOR UPDATE', [wh.feed.name]);
      const errors: FeedctlError[] = [];
      await retry(() => sink.write([batch(200, 300)]), {
        initialDelayMs: 5,
        maxAttempts: 3,
        onRetry: (e) => {
          errors.push(e);
          void blocker.query('COMMIT');
        },
      });
      expect(errors.map((e) => [e.code, e.retriable, e.context.mysqlErrno])).toEqual([
        ['MYSQL_QUERY_FAILED', true, 1205],
      ]);
    } finally {
      await blocker.end();
    }
    expect(await rowCount()).toBe(300);
    expect(await wh.storedOffsets()).toEqual({ 0: 300 });
  });
});
