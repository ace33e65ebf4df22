/**
 * A lake partition whose first flush fails (no commit record yet: nothing durable) must not lose what it had
 * buffered: the consumer restarts it from the log start, not from wherever Kafka's fetch position went on. The
 * messages it re-reads that were dead-lettered before the failure are not dead-lettered twice. The failure is real:
 * the partition's staging folder is replaced by a file, so the flush cannot stage its Parquet file.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statePaths } from '../../../src/runtime/lake/paths.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { readTopic } from '../../helpers/kcat.js';
import { lakeCounts, produce, refMessages, streamFeedYaml, waitUntil } from '../../helpers/runtime.js';

const env = useTestEnv('rt_firstflush');
const fc = useFeedctl(env);
const FEED = 'firstflush';
const BAD = 5;

describe('a failed first lake flush', () => {
  it(
    're-reads the partition from the log start and dead-letters each bad message once',
    { timeout: 120_000 },
    async () => {
      const topic = env.topic('ff');
      const yaml = streamFeedYaml({
        name: FEED,
        topic,
        partitions: 1,
        flush: '{maxRows: 100000, idleSeconds: 2}',
      });
      fc.writeFeed(FEED, yaml.replace(/ {4}warehouse: .*\n/, '    warehouse: {enabled: false}\n'));
      expect((await fc.cli('reconcile')).code).toBe(0);
      const bad = Array.from({ length: BAD }, (_, i) => ({ key: `bad-${i}`, value: `{not json ${i}` }));
      await produce(env.config, topic, [...refMessages('a', 0, 300), ...bad]);

      const worker = new Worker({ config: env.config, destinations: ['lake'], pollMs: 300 });
      await worker.start();
      const blocker = path.join(env.config.lake.root, ...statePaths(FEED, topic, 0).staging.split('/'));
      try {
        const consumer = () => worker.report().consumers[0];
        await waitUntil('the first messages buffered', async () => (consumer()?.messages ?? 0) >= 300 + BAD);
        mkdirSync(path.dirname(blocker), { recursive: true });
        writeFileSync(blocker, 'not a folder'); // the idle flush cannot stage
        await waitUntil('the first flush to fail', async () => /lake/i.test(consumer()?.lastError ?? ''));
        await produce(env.config, topic, refMessages('b', 0, 200));
        await new Promise((r) => setTimeout(r, 2000)); // Kafka's fetch position moves past the buffered messages
        rmSync(blocker);
        await waitUntil('every valid message in the lake', async () => {
          const c = await lakeCounts(env.config.lake.root, FEED);
          return c.distinct >= 500;
        });
      } finally {
        await worker.stop();
      }
      expect(await lakeCounts(env.config.lake.root, FEED)).toEqual({ rows: 500, distinct: 500 });
      const letters = readTopic(env.config, `${topic}-dlq`);
      expect(letters.map((m) => m.key).sort()).toEqual(bad.map((m) => m.key).sort());
      await fc.expectConverged();
    },
  );
});
