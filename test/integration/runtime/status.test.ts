/** `feedctl status` and `reconcile --dry-run` tell what runs and how far behind it is, from the workers' heartbeats. */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { produce, waitUntil, type TestMessage } from '../../helpers/runtime.js';
import { withAdmin } from '../../../src/clients/kafka.js';
import type { StatusModel } from '../../../src/status/model.js';
import { Worker } from '../../../src/runtime/worker/worker.js';

const env = useTestEnv('rt_status');
const fc = useFeedctl(env);

async function status(): Promise<StatusModel> {
  const r = await fc.cli('status', '-o', 'json');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as StatusModel;
}

const TOTAL = 300;

const messages = (n: number): TestMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `c-${i}`,
    value: JSON.stringify({ customer_id: `c-${i}`, amount: '1.50', occurred_at: new Date().toISOString() }),
  }));

/** Log end offset of every partition of `topic`. */
async function endOffsets(topic: string): Promise<Record<string, number>> {
  const offsets = await withAdmin(env.config, (a) => a.fetchTopicOffsets(topic));
  return Object.fromEntries(offsets.map((o) => [String(o.partition), Number(o.high)]));
}

describe('status from heartbeats', () => {
  it('shows declared consumers as not running, then running on a live worker, then not running again', async () => {
    const topic = env.topic('st');
    fc.writeFeed('st', feedYaml({ name: 'st', topic, table: 'fact_st' }));
    expect((await fc.cli('reconcile')).code).toBe(0);
    // A one-off apply records its feeds' sync state (no watch controller runs here).
    expect((await status()).feeds.map((f) => [f.name, f.type, f.owner, f.sync.state])).toEqual([
      ['st', 'stream', 'tests', 'in sync'],
    ]);
    expect((await status()).consumers.map((c) => `${c.feed}/${c.destination} ${c.verdict}`)).toEqual([
      'st/lake not running',
      'st/warehouse not running',
    ]);

    const worker = new Worker({ config: env.config, destinations: ['lake', 'warehouse'], pollMs: 300 });
    await worker.start();
    try {
      await waitUntil('the heartbeat to show both consumers running', async () =>
        (await status()).consumers.every(
          (c) => c.verdict === 'running' && c.workers.includes(worker.identity.instanceId),
        ),
      );
      const dry = await fc.cli('reconcile', '--dry-run');
      expect(dry.stdout).toContain('No changes');
      expect(dry.stdout).toMatch(/st\/warehouse {2}generation 1 {2}running/);

      await produce(env.config, topic, messages(TOTAL));
      const ends = await endOffsets(topic);
      expect(Object.keys(ends)).toEqual(['0', '1']);
      expect(Object.values(ends).reduce((a, b) => a + b, 0)).toBe(TOTAL);
      const committed = () =>
        worker
          .report()
          .consumers.map((c) => [c.destination, c.committed])
          .sort();
      const caughtUp = [
        ['lake', ends],
        ['warehouse', ends],
      ];
      await waitUntil('both consumers committed up to the log end offsets', async () =>
        isDeepStrictEqual(committed(), caughtUp),
      );
      expect(committed()).toEqual(caughtUp);
      // The worker's lag comes from its probe of the log end (each heartbeat): 0 once the probe follows the commits.
      await waitUntil('the worker to report lag 0', async () =>
        isDeepStrictEqual(
          worker.report().consumers.map((c) => c.lag),
          [0, 0],
        ),
      );
      // A backlog is shown deterministically by stalled.test.ts; here: after catching up, status says exactly 0 in
      // the first heartbeat written after that point.
      const beatBefore = (await status()).workers[0]?.heartbeatAt;
      await waitUntil(
        'a heartbeat after catching up',
        async () => (await status()).workers[0]?.heartbeatAt !== beatBefore,
        20_000,
      );
      const lags = (await status()).consumers.map((c) => `${c.destination} ${c.verdict} lag ${c.lag}`);
      expect(lags).toEqual(['lake running lag 0', 'warehouse running lag 0']);
    } finally {
      await worker.stop();
    }
    expect((await status()).workers).toEqual([]);
    expect((await status()).consumers.every((c) => c.verdict === 'not running')).toBe(true);
    await fc.expectConverged();
  });
});
