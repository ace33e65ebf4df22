/** `feedctl status` and `reconcile --dry-run` tell what runs, from the workers' heartbeats. */
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { waitUntil } from '../../helpers/runtime.js';
import type { StatusView } from '../../../src/control/status.js';
import { Worker } from '../../../src/runtime/worker/worker.js';

const env = useTestEnv('rt_status');
const fc = useFeedctl(env);

async function status(): Promise<StatusView> {
  const r = await fc.cli('status', '-o', 'json');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as StatusView;
}

describe('status from heartbeats', () => {
  it('shows declared consumers as not running, then running on a live worker, then not running again', async () => {
    fc.writeFeed('st', feedYaml({ name: 'st', topic: env.topic('st'), table: 'fact_st' }));
    expect((await fc.cli('reconcile')).code).toBe(0);
    expect((await status()).consumers.map((c) => `${c.feed}/${c.destination} ${c.verdict}`)).toEqual([
      'st/lake not running',
      'st/warehouse not running',
    ]);

    const worker = new Worker({ config: env.config, destinations: ['lake', 'warehouse'], pollMs: 300 });
    await worker.start();
    try {
      await waitUntil('the heartbeat to show both consumers running', async () =>
        (await status()).consumers.every(
          (c) => c.verdict === 'running' && c.workers.includes(worker.identity.instanceId),
        ),
      );
      const dry = await fc.cli('reconcile', '--dry-run');
      expect(dry.stdout).toContain('No changes');
      expect(dry.stdout).toMatch(/st\/warehouse {2}generation 1 {2}running/);
    } finally {
      await worker.stop();
    }
    expect((await status()).workers).toEqual([]);
    expect((await status()).consumers.every((c) => c.verdict === 'not running')).toBe(true);
    await fc.expectConverged();
  });
});
