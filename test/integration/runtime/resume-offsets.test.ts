/**
 * Kafka's committed offset is a hint, the sinks' durable offsets are the truth: whatever happened to the consumer
 * groups' offsets while no worker ran — deleted, reset to the log start (several fetches below the durable offset
 * on every partition), or ahead of the sinks — a new worker resumes every partition exactly at its sink's durable
 * offset, and the lake and the warehouse end with every offset exactly once. Real broker, real MariaDB, the lake
 * read back with DuckDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedGroupIds } from '../../../src/config/consumer-groups.js';
import { withAdmin } from '../../../src/clients/kafka.js';
import type { Config } from '../../../src/config/config.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import {
  lakeCounts,
  produce,
  streamFeedYaml,
  tableCounts,
  waitUntil,
  type TestMessage,
} from '../../helpers/runtime.js';

const env = useTestEnv('rt_resume');
const fc = useFeedctl(env);
const FEED = 'resumed';
const GROUPS = feedGroupIds(env.config, FEED);
/** ≈1 KiB messages: 15,000 over 3 partitions are ≈5 MiB a partition, five 1 MiB fetches each. */
const FIRST = 15_000;
const MORE = 3_000;
const PAD = 'x'.repeat(900);

function messages(from: number, n: number): TestMessage[] {
  return Array.from({ length: n }, (_, i) => {
    const ref = `r-${from + i}`;
    const at = new Date(Date.UTC(2026, 10, 1) + (from + i) * 1000).toISOString();
    return { key: ref, value: JSON.stringify({ ref, at, pad: PAD }) };
  });
}

const config = (): Config => ({ ...env.config, kafka: { ...env.config.kafka, sessionTimeoutMs: 6000 } });

async function exactlyOnce(total: number): Promise<void> {
  await waitUntil(
    `${total} offsets in the lake and the warehouse`,
    async () => {
      const [lake, table] = await Promise.all([
        lakeCounts(env.config.lake.root, FEED),
        tableCounts(env.config, `fact_${FEED}`),
      ]);
      return lake.distinct >= total && table.distinct >= total;
    },
    120_000,
    1000,
  );
  const exactly = { rows: total, distinct: total };
  expect(await lakeCounts(env.config.lake.root, FEED)).toEqual(exactly);
  expect(await tableCounts(env.config, `fact_${FEED}`)).toEqual(exactly);
}

/** Runs a worker until the sinks hold `total` offsets exactly once, then stops it. */
async function ingest(total: number): Promise<void> {
  const worker = new Worker({ config: config(), destinations: ['lake', 'warehouse'], pollMs: 300 });
  await worker.start();
  try {
    await exactlyOnce(total);
  } finally {
    await worker.stop();
  }
}

/** The groups' committed offsets per partition. */
async function committed(topic: string): Promise<Record<string, Record<number, number>>> {
  return withAdmin(env.config, async (admin) => {
    const out: Record<string, Record<number, number>> = {};
    for (const groupId of GROUPS) {
      const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
      out[groupId] = Object.fromEntries((t?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    }
    return out;
  });
}

/** Sets both groups' committed offsets (kafkajs' resetOffsets would store the special -1/-2 instead). */
async function setCommitted(topic: string, offsets: Record<number, number>): Promise<void> {
  const partitions = Object.entries(offsets).map(([p, o]) => ({ partition: Number(p), offset: String(o) }));
  await withAdmin(env.config, async (a) => {
    for (const groupId of GROUPS) await a.setOffsets({ groupId, topic, partitions });
  });
}

async function logEnd(topic: string): Promise<Record<number, number>> {
  const offsets = await withAdmin(env.config, (a) => a.fetchTopicOffsets(topic));
  return Object.fromEntries(offsets.map((o) => [o.partition, Number(o.high)]));
}

describe('a worker resumes at the sinks durable offsets whatever Kafka committed', () => {
  let topic: string;
  let produced = 0;
  const more = async (n: number) => {
    await produce(env.config, topic, messages(produced, n));
    produced += n;
  };

  beforeAll(async () => {
    topic = env.topic('resume');
    fc.writeFeed(
      FEED,
      streamFeedYaml({
        name: FEED,
        topic,
        fields: [
          '{name: ref, type: string, maxLength: 20}',
          '{name: at, type: timestamp}',
          '{name: pad, type: string, maxLength: 1000}',
        ],
        flush: '{maxRows: 4000, idleSeconds: 1}',
      }),
    );
    expect((await fc.cli('reconcile')).code).toBe(0);
    await more(FIRST);
    await ingest(produced);
  }, 180_000);

  afterAll(() => fc.expectConverged());

  it(
    'group offsets deleted: resumes from the sinks, and commits their offsets back to Kafka',
    { timeout: 180_000 },
    async () => {
      await withAdmin(env.config, (a) => a.deleteGroups(GROUPS));
      const none = { 0: -1, 1: -1, 2: -1 };
      expect(await committed(topic)).toEqual({ [GROUPS[0] as string]: none, [GROUPS[1] as string]: none });
      await more(MORE);
      await ingest(produced);
      const end = await logEnd(topic);
      expect(await committed(topic)).toEqual({ [GROUPS[0] as string]: end, [GROUPS[1] as string]: end });
    },
  );

  it(
    'reset to the log start (several fetches below the durable offset on every partition): no stall, no duplicate',
    { timeout: 180_000 },
    async () => {
      await setCommitted(topic, { 0: 0, 1: 0, 2: 0 });
      const zero = { 0: 0, 1: 0, 2: 0 };
      expect(await committed(topic)).toEqual({ [GROUPS[0] as string]: zero, [GROUPS[1] as string]: zero });
      await more(MORE);
      await ingest(produced);
    },
  );

  it(
    'committed offset ahead of the sinks, nothing new arriving: seeks back and reads what the sinks miss',
    { timeout: 180_000 },
    async () => {
      await more(MORE); // no worker runs: the sinks are behind by MORE
      const end = await logEnd(topic);
      await setCommitted(topic, end);
      expect(await committed(topic)).toEqual({ [GROUPS[0] as string]: end, [GROUPS[1] as string]: end });
      await ingest(produced);
    },
  );
});
