import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { expectExactlyOnce } from './lake-harness.js';

const env = useTestEnv('lake-sigkill');
const CHILD = fileURLToPath(new URL('./lake-sigkill-child.ts', import.meta.url));
const BOOT = `const { runnerImport } = await import('vite');
await runnerImport(process.argv[1], { configFile: false, logLevel: 'error' });`;
const TOTAL = 8_000;
const KILLS = 6;

function startWorker(root: string): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', BOOT, CHILD, root, String(TOTAL)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

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

describe('lake sink under SIGKILL', () => {
  it('loses and duplicates nothing when its worker is killed at random moments, again and again', async () => {
    const root = env.config.lake.root;
    const resumed: string[] = [];
    let killed = 0;
    for (let i = 0; i < KILLS; i++) {
      const child = startWorker(root);
      const line = await ready(child);
      if (line === null) break;
      resumed.push(line);
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 400));
      const exited = once(child, 'exit');
      if (child.kill('SIGKILL')) killed += 1;
      await exited;
    }
    const last = startWorker(root);
    const [code] = (await once(last, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(killed).toBeGreaterThanOrEqual(3);
    expect(resumed.at(-1)).not.toBe(resumed[0]); // the killed workers made progress between kills
    await expectExactlyOnce(root, 'orders', { 0: TOTAL, 1: TOTAL });
  }, 120_000);
});
