/**
 * Seeded randomness for tests that inject faults at random moments: the seed is printed, so a failure replays
 * with `FEEDCTL_TEST_SEED=<seed>` (the schedule replays; the timing of real services around it does not).
 */
import { randomBytes } from 'node:crypto';

/** mulberry32: a small, fast 32-bit PRNG; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeededRandom {
  seed: number;
  /** The next number in [0, 1). */
  random: () => number;
  /** `seed <n>`, for assertion messages. */
  label: string;
}

/** The seed from FEEDCTL_TEST_SEED, else a fresh one; printed with the test's name either way. */
export function testSeed(testName: string): SeededRandom {
  const given = process.env.FEEDCTL_TEST_SEED;
  if (given !== undefined && !/^\d+$/.test(given)) {
    throw new Error(`FEEDCTL_TEST_SEED must be an unsigned integer, got ${given}`);
  }
  const seed = given === undefined ? randomBytes(4).readUInt32BE(0) : Number(given) >>> 0;
  console.log(`${testName}: seed ${seed} (replay with FEEDCTL_TEST_SEED=${seed})`);
  return { seed, random: mulberry32(seed), label: `seed ${seed}` };
}
