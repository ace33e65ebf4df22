/**
 * The local Kafka broker stops for 30 s during ingestion — while lake flushes commit, so their Kafka offset
 * commits fail or wait — and starts again. The worker recovers by itself — it restarts the consumers
 * whose Kafka client gave up — Kafka ends with the sinks' offsets (a
 * failed commit is retried; kafka-commits.test.ts shows the warn line), and every offset lands exactly once in the
 * lake and the warehouse. The worker's /readyz shows the outage (its kafka check failing, MySQL still fine) and is
 * ready again after.
 * It stops the shared broker, so it runs in the `disruptive` project; it is skipped against a broker this machine
 * did not start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedGroupIds } from '../../src/config/consumer-groups.js';
import { withAdmin } from '../../src/clients/kafka.js';
import { kafkaStatus, startKafka, stopKafka } from '../../src/stack/kafka.js';
import { useFeedctl } from '../helpers/cli.js';
import { useTestEnv } from '../helpers/env.js';
import { checkEndpoint, checkOf } from '../helpers/health.js';
import { streamFeedYaml, waitUntil } from '../helpers/runtime.js';
import { expectInvariant, Fleet, SteadyProducer } from './fleet.js';

const env = useTestEnv('rt_broker_restart');
const fc = useFeedctl(env);
const FEED = 'brokerdown';
const restartable = (await kafkaStatus(env.config)).pid !== null;
const OUTAGE_MS = 30_000;

/** A probe of /readyz: its status and whether its kafka check is ok. */
const readiness = (url: string, status: number, kafkaOk: boolean) => async () => {
  const r = await checkEndpoint(url, '/readyz').catch(() => null);
  return r?.status === status && checkOf(r, 'kafka')?.ok === kafkaOk;
};

describe.skipIf(!restartable)('the broker restarts during ingestion', () => {
  const fleet = new Fleet(env, fc);
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('bd');
    fc.writeFeed(
      FEED,
      streamFeedYaml({ name: FEED, topic, partitions: 3, flush: '{maxRows: 500, idleSeconds: 1}' }),
    );
    expect((await fc.cli('reconcile')).code).toBe(0);
  });
  afterAll(async () => {
    await fleet.killAll();
    await startKafka(env.config);
  });

  it(
    'recovers by itself, retries the failed offset commits, and keeps every offset exactly once',
    { timeout: 300_000 },
    async () => {
      const at = Date.UTC(2026, 10, 1);
      const producer = new SteadyProducer(env, topic, (i) => ({
        key: `r-${i}`,
        value: JSON.stringify({ ref: `r-${i}`, at: new Date(at + i * 1000).toISOString() }),
      }));
      fleet.start('w');
      const url = await fleet.healthUrl('w');
      producer.start();
      await waitUntil('ingestion under way', async () => producer.sent >= 2000);
      await waitUntil('/readyz ready', readiness(url, 200, true), 30_000);
      const stoppedAt = Date.now();
      expect(await stopKafka(env.config)).toBe('stopped');
      await waitUntil('/readyz to show the outage', readiness(url, 503, false), 15_000);
      const during = await checkEndpoint(url, '/readyz');
      expect(checkOf(during, 'kafka')?.detail).toMatch(/^kafka: connect /);
      expect(checkOf(during, 'mysql')?.ok).toBe(true);
      await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + OUTAGE_MS - Date.now())));
      expect((await checkEndpoint(url, '/readyz')).status).toBe(503);
      await startKafka(env.config);
      await waitUntil('/readyz ready again', readiness(url, 200, true), 60_000, 1000);
      await waitUntil('more messages after the restart', async () => producer.sent >= 6000, 120_000);
      await producer.stop();

      const total = await expectInvariant(env, fc, fleet, FEED, topic, 3, 'after the broker restart');
      expect(total).toBeGreaterThanOrEqual(6000);
      const end = await withAdmin(env.config, (a) => a.fetchTopicOffsets(topic));
      await waitUntil('Kafka to hold the sinks offsets again (commits retried)', async () => {
        const groups = await withAdmin(env.config, (a) =>
          Promise.all(
            feedGroupIds(env.config, FEED).map((groupId) => a.fetchOffsets({ groupId, topics: [topic] })),
          ),
        );
        return groups.every(([t]) =>
          end.every((e) => t?.partitions.find((p) => p.partition === e.partition)?.offset === e.high),
        );
      });
      await fleet.stop('w', 'SIGTERM');
      // The Kafka client gave up while the broker was away; the worker restarted its consumers itself.
      expect(fleet.logs()).toContain('consumer failed; restarting it');
      await fc.expectConverged();
    },
  );
});
