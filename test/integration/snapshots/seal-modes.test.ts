/**
 * The seal modes for producers that cannot send end markers: `nextVersion` publishes a version once every partition
 * has a record of a higher one (the newest stays open); `idleSeconds` publishes the open version once no record
 * arrived on any partition for that long.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { waitUntil } from '../../helpers/runtime.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import {
  bothAre,
  lakeVersions,
  latestJson,
  ledger,
  sendRows,
  tableFeedYaml,
  viewSummary,
} from './snapshot-fixture.js';

const env = useTestEnv('snap_modes');
const fc = useFeedctl(env);
const N = 600;

describe('seal modes without end markers', () => {
  let next: string;
  let idle: string;
  beforeAll(async () => {
    next = env.topic('nextv');
    idle = env.topic('idle');
    fc.writeFeed('nextv', tableFeedYaml('nextv', next, 'nextVersion'));
    fc.writeFeed('idlev', tableFeedYaml('idlev', idle, '{idleSeconds: 3}'));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it('nextVersion and idleSeconds publish whole versions', { timeout: 180_000 }, async () => {
    const worker = spawnWorker(env, fc, 'w');
    await waitRunning(env, 'w');
    const dir = env.config.lake.root;
    sendRows(env.config, dir, next, 1, 0, N);
    sendRows(env.config, dir, next, 2, 0, N - 60);
    sendRows(env.config, dir, next, 3, 0, 30); // rows 0..29: partitions 0, 1 and 2 all see version 3
    await waitUntil(
      'nextVersion: version 2 published',
      () => bothAre(env.config, 'nextv', 2, 'published'),
      90_000,
    );
    expect(await bothAre(env.config, 'nextv', 1, 'published')).toBe(true);
    expect((await ledger(env.config, 'nextv', 'lake')).get(3)?.state).toBe('open');
    expect((await lakeVersions(dir, 'nextv')).map(([v, n]) => [v, n])).toEqual([
      [1, N],
      [2, N - 60],
    ]);
    expect((await viewSummary(env.config, 'dim_nextv_latest')).rows).toBe(N - 60);

    sendRows(env.config, dir, idle, 1, 0, N);
    await waitUntil('idle: version 1 published', () => bothAre(env.config, 'idlev', 1, 'published'), 90_000);
    expect(latestJson(dir, 'idlev')).toMatchObject({ version: 1, rows: N });
    expect((await viewSummary(env.config, 'dim_idlev_latest')).rows).toBe(N);

    worker.kill('SIGTERM');
    expect((await exited(worker)).code).toBe(0);
    await fc.expectConverged();
  });
});
