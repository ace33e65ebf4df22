/**
 * A seeded randomized fault run: two `feedctl run` workers share a 4-partition feed while messages keep arriving,
 * and each round applies one fault chosen by the seeded generator — SIGKILL a worker, SIGSTOP one past the session
 * timeout (its partitions move, then it wakes up as a zombie) and SIGCONT it, reset the consumer groups' offsets
 * to the log start, or restart the broker. After each round, with the producer paused, the invariant holds: every
 * offset exactly once in the lake and the warehouse, and `feedctl status` shows lag 0 only then. The seed is
 * printed (FEEDCTL_TEST_SEED replays it). 8 rounds by default — every fault once, then 4 chosen — to keep `npm test`
 * well under CI's 20 minutes; `FEEDCTL_FAULT_ROUNDS` runs more (e.g. 50 for a soak).
 * It stops the shared broker, so it runs in the `disruptive` project; it is skipped against a broker this machine
 * did not start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedGroupIds } from '../../src/config/consumer-groups.js';
import { withAdmin } from '../../src/clients/kafka.js';
import { kafkaStatus, startKafka, stopKafka } from '../../src/stack/kafka.js';
import { useFeedctl } from '../helpers/cli.js';
import { useTestEnv } from '../helpers/env.js';
import { streamFeedYaml } from '../helpers/runtime.js';
import { testSeed, type SeededRandom } from '../helpers/seed.js';
import { expectInvariant, Fleet, SESSION_TIMEOUT_MS, SteadyProducer } from './fleet.js';

const env = useTestEnv('rt_fault_rounds');
const fc = useFeedctl(env);
const FEED = 'faulty';
const PARTITIONS = 4;
const ROUNDS = Number(process.env.FEEDCTL_FAULT_ROUNDS ?? 8);
const FAULTS = ['kill', 'stop', 'reset', 'broker'] as const;
type Fault = (typeof FAULTS)[number];
const restartable = (await kafkaStatus(env.config)).pid !== null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!restartable)('seeded fault rounds on two workers', () => {
  const fleet = new Fleet(env, fc);
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('faults');
    fc.writeFeed(
      FEED,
      streamFeedYaml({ name: FEED, topic, partitions: PARTITIONS, flush: '{maxRows: 800, idleSeconds: 1}' }),
    );
    expect((await fc.cli('reconcile')).code).toBe(0);
  });
  afterAll(async () => {
    await fleet.killAll();
    await startKafka(env.config);
  });

  /** Every fault appears once in the first rounds, then the generator chooses. */
  function schedule(rng: SeededRandom): Fault[] {
    const first = [...FAULTS].sort(() => rng.random() - 0.5);
    const rest = Array.from(
      { length: Math.max(0, ROUNDS - FAULTS.length) },
      () => FAULTS[Math.floor(rng.random() * FAULTS.length)] as Fault,
    );
    return [...first, ...rest].slice(0, ROUNDS);
  }

  async function inject(fault: Fault, rng: SeededRandom): Promise<void> {
    const victim = rng.random() < 0.5 ? 'a' : 'b';
    if (fault === 'kill') {
      await fleet.stop(victim, 'SIGKILL');
      await sleep(500 + rng.random() * 3000);
      fleet.start(victim);
    } else if (fault === 'stop') {
      fleet.get(victim).kill('SIGSTOP');
      await sleep(SESSION_TIMEOUT_MS + 2000 + rng.random() * 3000); // the other worker takes its partitions
      fleet.get(victim).kill('SIGCONT');
      await sleep(3000);
    } else if (fault === 'reset') {
      // Offsets can only be set on an empty group: stop both workers, rewind, start them again.
      await Promise.all([fleet.stop('a', 'SIGTERM'), fleet.stop('b', 'SIGTERM')]);
      const partitions = Array.from({ length: PARTITIONS }, (_, p) => ({ partition: p, offset: '0' }));
      await withAdmin(env.config, async (admin) => {
        for (const groupId of feedGroupIds(env.config, FEED))
          await admin.setOffsets({ groupId, topic, partitions });
      });
      fleet.start('a');
      fleet.start('b');
    } else {
      await stopKafka(env.config);
      await sleep(3000 + rng.random() * 12_000);
      await startKafka(env.config);
    }
  }

  it(`keeps every offset exactly once through ${ROUNDS} rounds`, { timeout: 900_000 }, async () => {
    const rng = testSeed('fault rounds: two workers, seeded faults');
    const at = Date.UTC(2026, 10, 1);
    fleet.start('a');
    fleet.start('b');
    let made = 0;
    let sent = 0;
    for (const [i, fault] of schedule(rng).entries()) {
      const label = `${rng.label}, round ${i + 1} (${fault})`;
      const producer = new SteadyProducer(env, topic, (n) => {
        const id = `r-${made + n}`;
        return {
          key: id,
          value: JSON.stringify({ ref: id, at: new Date(at + (made + n) * 1000).toISOString() }),
        };
      });
      producer.start();
      await sleep(1000 + rng.random() * 3000); // the fault strikes mid-ingestion
      await inject(fault, rng);
      await sleep(1000);
      await producer.stop();
      made += producer.made;
      sent += producer.sent;
      const total = await expectInvariant(env, fc, fleet, FEED, topic, PARTITIONS, label);
      expect(total, label).toBeGreaterThanOrEqual(sent);
      console.log(`${label}: ${total} offsets exactly once in lake and warehouse`);
    }
    await Promise.all([fleet.stop('a', 'SIGTERM'), fleet.stop('b', 'SIGTERM')]);
    await fc.expectConverged();
  });
});
