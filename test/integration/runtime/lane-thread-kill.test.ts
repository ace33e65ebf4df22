/**
 * A lane thread (the worker thread that decodes, builds columns and encodes Parquet for stream feeds) dies while
 * batches are in flight to it: the process keeps running, the partitions whose buffers were in that thread restart
 * from their durable offsets, and the lake holds every offset exactly once — nothing lost, nothing duplicated.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { lakeCounts, produce, streamFeedYaml, waitUntil, type TestMessage } from '../../helpers/runtime.js';

const env = useTestEnv('rt_lanekill');
const fc = useFeedctl(env);
const FEED = 'lanes';
const TOTAL = 60_000;

const messages = (from: number, to: number): TestMessage[] =>
  Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return {
      key: `k-${i}`,
      value: JSON.stringify({ ref: `k-${i}`, amount: (i % 1000) / 100, at: Date.UTC(2026, 0, 1) + i }),
    };
  });

describe('a lane thread killed mid-batch', () => {
  it('loses and duplicates nothing', { timeout: 180_000 }, async () => {
    const topic = env.topic('lanes');
    const yaml = streamFeedYaml({
      name: FEED,
      topic,
      partitions: 3,
      fields: [
        '{name: ref, type: string, maxLength: 20}',
        '{name: amount, type: decimal, precision: 10, scale: 2}',
        '{name: at, type: timestamp}',
      ],
      flush: '{maxRows: 5000, maxBytes: 67108864, idleSeconds: 1}',
    });
    fc.writeFeed(FEED, yaml.replace(/ {4}warehouse: .*\n/, '    warehouse: {enabled: false}\n'));
    expect((await fc.cli('reconcile')).code).toBe(0);
    const config: Config = { ...env.config, runtime: { ...env.config.runtime, threads: 2 } };
    const worker = new Worker({ config, destinations: ['lake'], pollMs: 300 });
    await worker.start();
    const lanes = worker.threads;
    if (!lanes) throw new Error('the worker runs no lane threads');
    let sawLoss = false;
    try {
      // Messages keep arriving while the threads are killed one after the other, with buffers and batches in them.
      const producing = (async () => {
        for (let sent = 0; sent < TOTAL; sent += 2000)
          await produce(env.config, topic, messages(sent, sent + 2000));
      })();
      await waitUntil(
        'the first rows in the lake',
        async () => (await lakeCounts(env.config.lake.root, FEED)).rows > 0,
      );
      // Killed one after the other until a partition has failed on a thread that died with its data (a thread
      // killed between a flush and the next batch holds nothing: that kill costs nothing, so try again).
      const lost = () => /worker thread .*(exited|lost)/.test(worker.report().consumers[0]?.lastError ?? '');
      for (let kill = 0; kill < 6 || (!sawLoss && kill < 30); kill++) {
        await new Promise((r) => setTimeout(r, 400));
        await lanes.kill(kill % 2);
        await new Promise((r) => setTimeout(r, 100));
        sawLoss ||= lost();
      }
      await producing;
      await waitUntil('every offset in the lake', async () => {
        const c = await lakeCounts(env.config.lake.root, FEED);
        return c.distinct >= TOTAL;
      });
      sawLoss ||= lost();
    } finally {
      await worker.stop();
    }
    // Threads died with data in them: partitions failed on it and restarted from their durable offsets.
    expect(sawLoss, 'a partition failed on a thread that died with its data').toBe(true);
    expect(await lakeCounts(env.config.lake.root, FEED)).toEqual({ rows: TOTAL, distinct: TOTAL });
    await fc.expectConverged();
  });
});
