/**
 * Changing one feed's manifest and reconciling restarts that feed's consumers only: the other feed's consumers
 * keep running, never stop, and keep their offsets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { useFeedctl } from '../../helpers/cli.js';
import {
  lakeCounts,
  produce,
  refMessages,
  streamFeedYaml,
  tableCounts,
  waitUntil,
} from '../../helpers/runtime.js';
import type { ConsumerStatus } from '../../../src/runtime/consumer/progress.js';
import { Worker } from '../../../src/runtime/worker/worker.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';

const env = useTestEnv('rt_restart_one');
const fc = useFeedctl(env);

const fields = (extra: string[] = []) => [
  '{name: ref, type: string, maxLength: 20}',
  '{name: at, type: timestamp}',
  ...extra,
];
const manifest = (name: string, topic: string, extra: string[] = []) =>
  streamFeedYaml({ name, topic, partitions: 2, fields: fields(extra) });

/** Waits until both feeds hold `n` distinct offsets in the lake and the warehouse, then asserts no duplicates. */
async function expectIngested(n: number): Promise<void> {
  const counts = async () => ({
    alphaLake: await lakeCounts(env.config.lake.root, 'alpha'),
    betaLake: await lakeCounts(env.config.lake.root, 'beta'),
    alphaTable: await tableCounts(env.config, 'fact_alpha'),
    betaTable: await tableCounts(env.config, 'fact_beta'),
  });
  await waitUntil(`both feeds ingested up to ${n} messages`, async () =>
    Object.values(await counts()).every((c) => c.distinct >= n),
  );
  const exactly = { rows: n, distinct: n };
  expect(await counts()).toEqual({
    alphaLake: exactly,
    betaLake: exactly,
    alphaTable: exactly,
    betaTable: exactly,
  });
}

describe('a manifest change restarts exactly that feed', () => {
  let worker: Worker;
  const topics: Record<string, string> = {};
  const statuses = (feed: string) => worker.report().consumers.filter((c) => c.feed === feed);
  beforeAll(async () => {
    topics.alpha = env.topic('alpha');
    topics.beta = env.topic('beta');
    fc.writeFeed('alpha', manifest('alpha', topics.alpha));
    fc.writeFeed('beta', manifest('beta', topics.beta));
    expect((await fc.cli('reconcile')).code).toBe(0);
    worker = new Worker({ config: env.config, destinations: ['lake', 'warehouse'], pollMs: 300 });
    await worker.start();
  });
  afterAll(() => worker.stop());

  it('restarts alpha at generation 2 while beta keeps running', async () => {
    await produce(env.config, topics.alpha as string, refMessages('a', 0, 500));
    await produce(env.config, topics.beta as string, refMessages('b', 0, 500));
    await expectIngested(500);
    const betaBefore = statuses('beta');
    expect(betaBefore.map((c) => c.state)).toEqual(['running', 'running']);

    const betaSeen: ConsumerStatus[][] = [];
    const sampler = setInterval(() => betaSeen.push(statuses('beta')), 100);
    fc.writeFeed(
      'alpha',
      manifest('alpha', topics.alpha as string, [
        '{name: channel, type: string, maxLength: 16, nullable: true}',
      ]),
    );
    const plan = await fc.cli('reconcile', '--dry-run', '-o', 'json');
    const consumerChanges = (
      JSON.parse(plan.stdout) as { changes: Array<{ kind: string; id: string; action: string }> }
    ).changes
      .filter((c) => c.kind === 'consumer')
      .map((c) => `${c.action} ${c.id}`);
    expect(consumerChanges).toEqual(['update alpha']);
    expect((await fc.cli('reconcile')).code).toBe(0);
    await waitUntil(
      'alpha restarted at generation 2',
      async () =>
        statuses('alpha').length === 2 &&
        statuses('alpha').every((c) => c.generation === 2 && c.state === 'running'),
    );

    await produce(env.config, topics.alpha as string, refMessages('a', 500, 300, { channel: 'web' }));
    await produce(env.config, topics.beta as string, refMessages('b', 500, 300));
    await expectIngested(800);
    clearInterval(sampler);

    const betaAfter = statuses('beta');
    expect(betaAfter.map((c) => [c.destination, c.generation, c.startedAt])).toEqual(
      betaBefore.map((c) => [c.destination, c.generation, c.startedAt]),
    );
    expect(betaSeen.length).toBeGreaterThan(0);
    expect(betaSeen.flat()).toHaveLength(betaSeen.length * 2);
    expect(betaSeen.flat().every((c) => c.state === 'running' && c.generation === 1)).toBe(true);
    expect(betaAfter).toHaveLength(2);
    for (const c of betaAfter) {
      const before = betaBefore.find((b) => b.destination === c.destination) as ConsumerStatus;
      expect(Object.keys(before.committed).sort()).toEqual(['0', '1']);
      for (const [p, offset] of Object.entries(before.committed))
        expect(c.committed[p]).toBeGreaterThanOrEqual(offset);
    }
    const channels = await withMysql(env.config, async (c) => {
      const [r] = await c.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT _kafka_partition, _kafka_offset) AS d FROM fact_alpha WHERE channel = 'web'",
      );
      return { rows: Number(r[0]?.n), distinct: Number(r[0]?.d) };
    });
    expect(channels).toEqual({ rows: 300, distinct: 300 });
    await fc.expectConverged();
  });
});
