/**
 * A running worker's heartbeat (feedctl_workers.status, as MySQL holds it) carries what the status page shows per
 * consumer: its message rate, the sink's last durable write (the lake's data file key under the lake root) and the
 * last dead letters, with coordinates and why but never the message itself.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withAdmin } from '../../../src/clients/kafka.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import type { ConsumerStatus } from '../../../src/runtime/consumer/progress.js';
import type { WorkerReport } from '../../../src/runtime/worker/heartbeat.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { produce, waitUntil, type TestMessage } from '../../helpers/runtime.js';

const env = useTestEnv('rt_worker_report');
const fc = useFeedctl(env);
/** Consumer group ids are not namespaced by database: a feed name of its own. */
const FEED = `wreport_${randomBytes(3).toString('hex')}`;
const GOOD = 200;
const BAD_VALUE = '{"customer_id": "bad-1", oops';

const good = (n: number): TestMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `c-${i}`,
    value: JSON.stringify({ customer_id: `c-${i}`, amount: '1.50', occurred_at: '2026-11-27T10:00:00Z' }),
  }));

/** The consumers of `instance`'s last heartbeat, as stored in MySQL, by destination. */
async function heartbeat(instance: string): Promise<Record<string, ConsumerStatus>> {
  const rows = await withMysql(env.config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>('SELECT status FROM feedctl_workers WHERE instance_id = ?', [
      instance,
    ]);
    return r;
  });
  const raw = rows[0]?.status as string | object | undefined;
  if (raw === undefined) return {};
  const report = (typeof raw === 'string' ? JSON.parse(raw) : raw) as WorkerReport;
  return Object.fromEntries(report.consumers.map((c) => [c.destination, c]));
}

describe('the worker heartbeat for the status page', () => {
  it('reports rate, last write and recent dead letters per consumer', { timeout: 120_000 }, async () => {
    const topic = env.topic('wr');
    fc.writeFeed(FEED, feedYaml({ name: FEED, topic, table: `fact_${FEED}` }));
    expect((await fc.cli('reconcile')).code).toBe(0);
    const worker = new Worker({ config: env.config, destinations: ['lake', 'warehouse'], pollMs: 300 });
    await worker.start();
    try {
      const id = worker.identity.instanceId;
      await waitUntil('both consumers running', async () => {
        const hb = await heartbeat(id);
        return hb.lake?.state === 'running' && hb.warehouse?.state === 'running';
      });
      const first = await heartbeat(id);
      expect(first.lake).toMatchObject({ lastWrite: null, recentDeadLetters: [] });

      await produce(env.config, topic, [...good(GOOD), { key: 'bad-1', value: BAD_VALUE }]);
      let hb: Record<string, ConsumerStatus> = {};
      await waitUntil(
        'a heartbeat with the writes of both sinks and the dead letter',
        async () => {
          hb = await heartbeat(id);
          return (
            hb.lake?.lastWrite != null &&
            hb.warehouse?.lastWrite != null &&
            (hb.lake?.recentDeadLetters.length ?? 0) > 0
          );
        },
        60_000,
        500,
      );
      const { lake, warehouse } = hb as Record<'lake' | 'warehouse', ConsumerStatus>;

      for (const c of [lake, warehouse]) {
        expect(c.rate.perSecond1m).toBeGreaterThan(0);
        expect(c.rate.perSecond5m).toBeGreaterThan(0);
        expect(Date.parse(c.lastWrite?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(c.startedAt));
      }
      const file = lake.lastWrite?.file ?? '';
      expect(file).toMatch(
        new RegExp(`^streams/${FEED}/year=2026/month=11/day=27/p[01]-\\d+-\\d+-[0-9a-f]{8}\\.parquet$`),
      );
      expect(existsSync(path.join(env.config.lake.root, file))).toBe(true);
      expect(warehouse.lastWrite?.file).toBeNull();

      // The lake consumer dead-letters invalid messages (the warehouse's does not when the lake is on).
      expect(lake.recentDeadLetters).toEqual([
        {
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          partition: expect.any(Number),
          offset: expect.stringMatching(/^\d+$/),
          stage: 'parse',
          reason: expect.stringMatching(/^InvalidJson: /),
        },
      ]);
      expect(warehouse.recentDeadLetters).toEqual([]);
      // Produced last, the bad message is the last of its partition.
      const [letter] = lake.recentDeadLetters;
      const ends = await withAdmin(env.config, (a) => a.fetchTopicOffsets(topic));
      const end = ends.find((o) => o.partition === letter?.partition);
      expect(letter?.offset).toBe(String(Number(end?.high) - 1));
    } finally {
      await worker.stop();
    }
  });
});
