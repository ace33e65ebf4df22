import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LakeConfig } from '../../../src/config/lake.js';
import { useTestEnv } from '../../helpers/env.js';
import { testSeed } from '../../helpers/seed.js';
import { BACKENDS, testLake } from '../../helpers/lake-backends.js';
import { expectLakeExactlyOnce } from './lake-harness.js';

const env = useTestEnv('lake-sigkill');
const CHILD = fileURLToPath(new URL('./lake-sigkill-child.ts', import.meta.url));
const BOOT = `const { runnerImport } = await import('vite');
await runnerImport(process.argv[1], { configFile: false, logLevel: 'error' });`;
const TOTAL = 8_000;
const KILLS = 6;

/** A child worker; `seed` drives its chunk sizes. */
function startWorker(lake: LakeConfig, seed: number): ChildProcess {
  const endpoint = lake.s3?.endpoint ? { FEEDCTL_LAKE_S3_ENDPOINT: lake.s3.endpoint } : {};
  return spawn(
    process.execPath,
    ['--input-type=module', '-e', BOOT, CHILD, lake.root, String(TOTAL), String(seed)],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...endpoint } },
  );
}

/** A child's seed, drawn from the test's seeded generator so that the whole run replays. */
const childSeed = (random: () => number): number => Math.floor(random() * 2 ** 32);

/** Resolves with the child's `ready` line (the offsets it resumed from), or null if it exited first. */
async function ready(child: ChildProcess): Promise<string | null> {
  let out = '';
  const line = new Promise<string>((resolve) =>
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    }),
  );
  return Promise.race([line, once(child, 'exit').then(() => null)]);
}

describe.each(BACKENDS)('lake sink under SIGKILL (%s)', (backend) => {
  it('loses and duplicates nothing when its worker is killed at random moments, again and again', async () => {
    const rng = testSeed(`lake-sigkill: lake sink under SIGKILL (${backend})`);
    const lake = testLake(env, backend, 'sigkill');
    const root = lake.lake;
    const resumed: string[] = [];
    let killed = 0;
    for (let i = 0; i < KILLS; i++) {
      const child = startWorker(root, childSeed(rng.random));
      const line = await ready(child);
      if (line === null) break;
      resumed.push(line);
      await new Promise((r) => setTimeout(r, 20 + rng.random() * 400));
      const exited = once(child, 'exit');
      if (child.kill('SIGKILL')) killed += 1;
      await exited;
    }
    const last = startWorker(root, childSeed(rng.random));
    const [code] = (await once(last, 'exit')) as [number | null];
    expect(code, rng.label).toBe(0);
    expect(killed, rng.label).toBeGreaterThanOrEqual(3);
    expect(resumed.at(-1), rng.label).not.toBe(resumed[0]); // the killed workers made progress between kills
    await expectLakeExactlyOnce(lake, 'orders', { 0: TOTAL, 1: TOTAL });
  }, 180_000);
});
