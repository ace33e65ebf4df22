/**
 * `feedctl status` tells the truth about a consumer that cannot progress: the warehouse table is locked by another
 * session, so the worker's upsert waits; its lag (log end − the sink's durable offset) stays above zero and, past
 * the stall threshold, the consumer is shown STALLED while the lake consumer is at lag 0. SIGTERM still ends the
 * worker within its deadline although a query never answers. After the lock goes, a new worker catches up: lag 0,
 * nothing stalled, and only then does the warehouse hold every offset.
 */
import { describe, expect, it } from 'vitest';
import { createMysqlPool } from '../../../src/clients/mysql.js';
import type { ConsumerView, StatusView } from '../../../src/control/status.js';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { exitedWithin, spawnWorker } from '../../helpers/workers.js';
import {
  lakeCounts,
  produce,
  refMessages,
  streamFeedYaml,
  tableCounts,
  waitUntil,
} from '../../helpers/runtime.js';

const env = useTestEnv('rt_stalled');
const fc = useFeedctl(env);
const FEED = 'stalls';
const STALL = { FEEDCTL_STALL_SECONDS: '3' };

async function consumers(): Promise<Record<string, ConsumerView>> {
  const r = await fc.cli('status', '-o', 'json');
  expect(r.code).toBe(0);
  const s = JSON.parse(r.stdout) as StatusView;
  return Object.fromEntries(s.consumers.map((c) => [c.destination, c]));
}

describe('a consumer that cannot progress', () => {
  it(
    'is shown stalled with its true lag, stops within the deadline, and catches up after',
    { timeout: 180_000 },
    async () => {
      const topic = env.topic('stall');
      fc.writeFeed(FEED, streamFeedYaml({ name: FEED, topic, partitions: 2 }));
      expect((await fc.cli('reconcile')).code).toBe(0);
      await produce(env.config, topic, refMessages('a', 0, 100));
      const first = spawnWorker(env, fc, '1', STALL);
      const locker = createMysqlPool(env.config, 1);
      const lock = await locker.getConnection();
      try {
        await waitUntil('the first messages in both sinks', async () => {
          const [l, t] = await Promise.all([
            lakeCounts(env.config.lake.root, FEED),
            tableCounts(env.config, `fact_${FEED}`),
          ]);
          return l.distinct === 100 && t.distinct === 100;
        });
        await lock.query(`LOCK TABLES fact_${FEED} WRITE`);
        await produce(env.config, topic, refMessages('b', 0, 50));
        await waitUntil('the warehouse consumer shown stalled', async () => {
          const c = await consumers();
          return (c.warehouse?.stalled.length ?? 0) > 0 && (c.lake?.lag ?? -1) === 0;
        });
        const c = await consumers();
        expect(c.warehouse).toMatchObject({ verdict: 'running', lag: 50 });
        expect(c.warehouse?.detail).toMatch(/STALLED: partition/);
        expect(c.lake).toMatchObject({ lag: 0, stalled: [] });

        first.kill('SIGTERM');
        const sent = Date.now();
        const end = await exitedWithin(first, 30_000);
        expect(end, 'feedctl run must end within its 20 s deadline').not.toBe('still running');
        console.log(
          `SIGTERM with a query that never answers: ${JSON.stringify(end)} after ${Date.now() - sent} ms`,
        );
      } finally {
        first.kill('SIGKILL');
        await lock.query('UNLOCK TABLES');
        lock.release();
        await locker.end();
      }

      const second = spawnWorker(env, fc, '2', STALL);
      try {
        await waitUntil('lag 0 and nothing stalled', async () => {
          const c = await consumers();
          return (
            c.warehouse?.lag === 0 && c.warehouse.stalled.length === 0 && c.warehouse.workers.length === 1
          );
        });
        expect(await tableCounts(env.config, `fact_${FEED}`)).toEqual({ rows: 150, distinct: 150 });
        expect(await lakeCounts(env.config.lake.root, FEED)).toEqual({ rows: 150, distinct: 150 });
      } finally {
        second.kill('SIGTERM');
        expect(await exitedWithin(second, 30_000)).toMatchObject({ code: 0 });
      }
      await fc.expectConverged();
    },
  );
});
