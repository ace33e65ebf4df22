/**
 * Compressed messages are consumed whatever the codec: the topic recompresses to snappy (the broker writes the
 * xerial framing of the Java client), and kcat produces with lz4, zstd, gzip and snappy itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { useTestEnv } from '../../helpers/env.js';
import { useFeedctl } from '../../helpers/cli.js';
import { lakeCounts, refMessages, streamFeedYaml, tableCounts, waitUntil } from '../../helpers/runtime.js';
import { Worker } from '../../../src/runtime/worker/worker.js';

const env = useTestEnv('rt_compression');
const fc = useFeedctl(env);
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const PER_CODEC = 400;

function produceCompressed(topic: string, codec: string, from: number): void {
  const file = path.join(env.config.lake.root, `${codec}.txt`);
  writeFileSync(
    file,
    refMessages(codec, from, PER_CODEC)
      .map((m) => `${m.key}\t${m.value}\n`)
      .join(''),
  );
  const broker = env.config.kafka.brokers.join(',');
  execFileSync('kcat', ['-b', broker, '-P', '-t', topic, '-K', '\t', '-z', codec, '-l', file], {
    timeout: 60_000,
  });
}

describe('compressed topics and messages', () => {
  let worker: Worker;
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('zip');
    const yaml = streamFeedYaml({ name: 'zipped', topic }).replace(
      `partitions: 3}`,
      `partitions: 3, configs: {compression.type: snappy}}`,
    );
    fc.writeFeed('zipped', yaml);
    expect((await fc.cli('reconcile')).code).toBe(0);
    worker = new Worker({ config: env.config, destinations: ['lake', 'warehouse'], pollMs: 300 });
    await worker.start();
  });
  afterAll(() => worker.stop());

  it('reads every codec into the lake and the warehouse', async () => {
    CODECS.forEach((codec, i) => produceCompressed(topic, codec, i * PER_CODEC));
    const total = CODECS.length * PER_CODEC;
    const counts = async () => ({
      lake: await lakeCounts(env.config.lake.root, 'zipped'),
      table: await tableCounts(env.config, 'fact_zipped'),
    });
    await waitUntil('every message in both sinks', async () => {
      const c = await counts();
      return c.lake.distinct >= total && c.table.distinct >= total;
    });
    const exactly = { rows: total, distinct: total };
    expect(await counts()).toEqual({ lake: exactly, table: exactly });
    const consumers = worker.report().consumers;
    expect(consumers.map((c) => c.destination).sort()).toEqual(['lake', 'warehouse']);
    const errors = consumers.map((c) => c.lastError ?? '');
    expect(errors.filter((e) => /compression|codec/i.test(e))).toEqual([]);
    await fc.expectConverged();
  });
});
