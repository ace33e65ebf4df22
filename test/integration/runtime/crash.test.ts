/**
 * Crash test: a `feedctl run` worker process is SIGKILLed at random (seeded, printed) moments after it started
 * writing, while messages keep arriving, and restarted each time; at the end the lake and the warehouse hold every
 * message exactly once (by partition and offset). The last worker is stopped with SIGTERM and must exit 0.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { useFeedctl } from '../../helpers/cli.js';
import { testSeed } from '../../helpers/seed.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import {
  lakeCounts,
  produce,
  streamFeedYaml,
  tableCounts,
  waitUntil,
  type TestMessage,
} from '../../helpers/runtime.js';

const env = useTestEnv('rt_crash');
const fc = useFeedctl(env);
const TOTAL = 30_000;
const KILLS = 10;
const SESSION = { FEEDCTL_KAFKA_SESSION_TIMEOUT_MS: '6000' };

function message(i: number): TestMessage {
  const at = new Date(Date.UTC(2026, 10, 1) + i * 47_000).toISOString();
  return { key: `k-${i % 5000}`, value: JSON.stringify({ msg_id: `m-${i}`, n: i, at }) };
}

const progress = async () => ({
  lake: (await lakeCounts(env.config.lake.root, 'crashy')).rows,
  table: (await tableCounts(env.config, 'fact_crashy')).rows,
});

describe('workers killed at random moments', () => {
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('crash');
    fc.writeFeed(
      'crashy',
      streamFeedYaml({
        name: 'crashy',
        topic,
        fields: [
          '{name: msg_id, type: string, maxLength: 20}',
          '{name: n, type: int}',
          '{name: at, type: timestamp}',
        ],
        key: 'msg_id',
        flush: '{maxRows: 1500, idleSeconds: 1}',
      }),
    );
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it(`loses and duplicates nothing across ${KILLS} SIGKILLs`, { timeout: 420_000 }, async () => {
    const rng = testSeed('crash: workers killed at random moments');
    const messages = Array.from({ length: TOTAL }, (_, i) => message(i));
    const producing = (async () => {
      for (let i = 0; i < TOTAL; i += 1000) {
        await produce(env.config, topic, messages.slice(i, i + 1000));
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    const killedMidway: number[] = [];
    for (let k = 1; k <= KILLS; k++) {
      const before = await progress();
      const child = spawnWorker(env, fc, String(k), SESSION);
      // A new worker first waits for the killed one's session to time out (6 s) before it gets partitions: kill
      // it once it has written something (or everything is in), at a random moment after that.
      await waitUntil(
        `worker ${k} to write (${rng.label})`,
        async () => {
          const p = await progress();
          return p.lake + p.table > before.lake + before.table || (p.lake >= TOTAL && p.table >= TOTAL);
        },
        60_000,
        200,
      ).catch((err: unknown) => {
        const log = readFileSync(path.join(env.config.lake.root, `worker-${k}.log`), 'utf8');
        throw new Error(
          `${String(err)}; progress ${JSON.stringify(before)}; worker log tail:\n${log.slice(-4000)}`,
        );
      });
      await new Promise((r) => setTimeout(r, rng.random() * 2000));
      child.kill('SIGKILL');
      expect((await exited(child)).signal, rng.label).toBe('SIGKILL');
      const p = await progress();
      if (p.lake < TOTAL || p.table < TOTAL) killedMidway.push(k);
    }
    await producing;
    const last = spawnWorker(env, fc, String(KILLS + 1), SESSION);
    await waitRunning(env, String(KILLS + 1));
    await waitUntil(
      'every message in the lake and the warehouse',
      async () => {
        const p = await progress();
        return p.lake >= TOTAL && p.table >= TOTAL;
      },
      240_000,
      1000,
    );
    last.kill('SIGTERM');
    expect(await exited(last), rng.label).toEqual({ code: 0, signal: null });

    console.log(`${rng.label}: ${killedMidway.length} of ${KILLS} kills mid-ingestion`);
    expect(killedMidway.length, rng.label).toBeGreaterThanOrEqual(KILLS / 2);
    const exactly = { rows: TOTAL, distinct: TOTAL };
    expect(await lakeCounts(env.config.lake.root, 'crashy'), rng.label).toEqual(exactly);
    expect(await tableCounts(env.config, 'fact_crashy'), rng.label).toEqual(exactly);
    await fc.expectConverged();
  });
});
