/**
 * The lake buffers of a worker, all partitions together, stay under `runtime.bufferBudgetMb`: with a 1 MiB budget
 * and flush thresholds that would otherwise hold everything for an hour, the lake receives files while the data
 * keeps coming, and stopping the worker flushes the rest — every offset exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { lakeCounts, produce, streamFeedYaml, waitUntil, type TestMessage } from '../../helpers/runtime.js';

const env = useTestEnv('rt_budget');
const fc = useFeedctl(env);
const FEED = 'budgeted';
const TOTAL = 8000;
const PAD = 'y'.repeat(900);

const messages = (): TestMessage[] =>
  Array.from({ length: TOTAL }, (_, i) => ({
    key: `r-${i}`,
    value: JSON.stringify({
      ref: `r-${i}`,
      at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      pad: PAD,
    }),
  }));

describe('the worker-wide lake buffer budget', () => {
  it('flushes partitions early once the buffers together pass it', { timeout: 120_000 }, async () => {
    const topic = env.topic('budget');
    const yaml = streamFeedYaml({
      name: FEED,
      topic,
      partitions: 4,
      fields: [
        '{name: ref, type: string, maxLength: 20}',
        '{name: at, type: timestamp}',
        '{name: pad, type: string, maxLength: 1000}',
      ],
      flush: '{maxRows: 1000000, maxBytes: 268435456, idleSeconds: 3600}',
    });
    fc.writeFeed(FEED, yaml.replace(/ {4}warehouse: .*\n/, '    warehouse: {enabled: false}\n'));
    expect((await fc.cli('reconcile')).code).toBe(0);
    const config: Config = { ...env.config, runtime: { ...env.config.runtime, bufferBudgetMb: 1 } };
    const worker = new Worker({ config, destinations: ['lake'], pollMs: 300 });
    await worker.start();
    try {
      await produce(env.config, topic, messages());
      // ≈8 MB arrive; no threshold of the feed is reached, so only the budget can make these files.
      await waitUntil('most of the data flushed under the budget', async () => {
        const c = await lakeCounts(env.config.lake.root, FEED);
        return c.distinct >= TOTAL / 2;
      });
      // Then let it consume the rest before it stops (the stop flushes what is buffered).
      await waitUntil(
        'every message consumed',
        async () => (worker.report().consumers[0]?.messages ?? 0) >= TOTAL,
      );
    } finally {
      await worker.stop();
    }
    expect(await lakeCounts(env.config.lake.root, FEED)).toEqual({ rows: TOTAL, distinct: TOTAL });
    await fc.expectConverged();
  });
});
