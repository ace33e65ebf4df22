/**
 * Scale-out on an S3 lake: three `feedctl run` processes share a 6-partition stream feed (lake on the test
 * S3Proxy, warehouse in MariaDB) while a producer keeps sending. The partitions are spread over the workers (seen
 * in their heartbeats); then one worker is SIGKILLed mid-ingestion and another SIGTERMed (exit 0) and started
 * again. With the producer stopped, every (partition, offset) of the topic is in the lake (DuckDB over a copy of
 * the objects) and in the warehouse exactly once, and `feedctl status` shows lag 0 on all 6 partitions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { streamFeedYaml, waitUntil } from '../../helpers/runtime.js';
import { expectEveryOffsetOnce, liveAssignments, Workers } from '../../helpers/scaleout.js';
import { waitRunning } from '../../helpers/workers.js';
import { SESSION_TIMEOUT_MS, SteadyProducer } from '../../disruptive/fleet.js';

const env = useTestEnv('scaleout_three', { lake: 's3' });
const fc = useFeedctl(env);
const FEED = 'spread';
const PARTITIONS = 6;
const NAMES = ['a', 'b', 'c'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The workers holding partitions of each consumer, once at least two share each and all 6 are held. */
async function spread(): Promise<Record<string, number[][]> | null> {
  const out: Record<string, number[][]> = {};
  for (const d of ['lake', 'warehouse'] as const) {
    const held = [...(await liveAssignments(env.config, FEED, d)).values()].filter((p) => p.length > 0);
    if (held.length < 2 || new Set(held.flat()).size !== PARTITIONS) return null;
    out[d] = held;
  }
  return out;
}

describe('three workers on one stream feed, lake on S3', () => {
  const workers = new Workers(env, fc, { FEEDCTL_KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) });
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('three');
    fc.writeFeed(
      FEED,
      streamFeedYaml({ name: FEED, topic, partitions: PARTITIONS, flush: '{maxRows: 800, idleSeconds: 1}' }),
    );
    expect((await fc.cli('reconcile')).code).toBe(0);
  });
  afterAll(async () => {
    await workers.killAll();
  });

  it(
    'spreads the partitions, survives a SIGKILL and a restart, and stores every offset exactly once',
    { timeout: 240_000 },
    async () => {
      const at = Date.UTC(2026, 10, 1);
      const producer = new SteadyProducer(env, topic, (n) => ({
        key: `s-${n}`,
        value: JSON.stringify({ ref: `s-${n}`, at: new Date(at + n * 1000).toISOString() }),
      }));
      for (const n of NAMES) workers.start(n);
      await Promise.all(NAMES.map((n) => waitRunning(env, workers.logName(n))));
      producer.start();
      let seen: Record<string, number[][]> | null = null;
      await waitUntil(
        'partitions held by more than one worker',
        async () => (seen = await spread()) !== null,
        60_000,
        1000,
      );
      console.log(`assignments while all three ran: ${JSON.stringify(seen)}`);

      await sleep(1500);
      await workers.stop('a', 'SIGKILL');
      await sleep(2000);
      await workers.stop('b', 'SIGTERM');
      workers.start('b');
      await waitRunning(env, workers.logName('b'));
      await sleep(SESSION_TIMEOUT_MS + 3000); // a's partitions move to the survivors while messages keep coming
      await producer.stop();

      expect(producer.sent).toBeGreaterThan(0);
      const total = await expectEveryOffsetOnce(env, fc, FEED, topic, PARTITIONS, () => workers.allLogs());
      expect(total).toBeGreaterThanOrEqual(producer.sent);
      console.log(`${total} offsets exactly once in lake (S3) and warehouse`);

      await workers.stop('b', 'SIGTERM');
      await workers.stop('c', 'SIGTERM');
      await fc.expectConverged();
    },
  );
});
