/**
 * A table feed whose partitions are shared by two `feedctl run` processes: each version is published exactly once
 * per destination (one `snapshot version published` line across both workers), whichever worker seals the last
 * partition, and the counts are exact.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { waitUntil } from '../../helpers/runtime.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import {
  bothAre,
  expectedSum,
  lakeVersions,
  latestJson,
  rowsPerPartition,
  sendMarker,
  sendRows,
  tableFeedYaml,
  viewSummary,
} from './snapshot-fixture.js';

const env = useTestEnv('snap_shared');
const fc = useFeedctl(env);
const FEED = 'shared';
const VARS = { FEEDCTL_KAFKA_SESSION_TIMEOUT_MS: '6000', FEEDCTL_LOG_LEVEL: 'info' };
const SIZES = [6000, 4500, 6000];

/** Lines of both workers' logs saying a version was published. */
function publishedLines(): Array<{ destination: string; version: number }> {
  return ['one', 'two'].flatMap((w) =>
    readFileSync(path.join(env.config.lake.root, `worker-${w}.log`), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"msg":"snapshot version published"'))
      .map((l) => JSON.parse(l) as { destination: string; version: number })
      .map(({ destination, version }) => ({ destination, version })),
  );
}

describe('two workers share a table feed', () => {
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('shared');
    fc.writeFeed(FEED, tableFeedYaml(FEED, topic));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it('publishes each version once, with exact counts', { timeout: 240_000 }, async () => {
    const workers = [spawnWorker(env, fc, 'one', VARS), spawnWorker(env, fc, 'two', VARS)];
    await Promise.all([waitRunning(env, 'one'), waitRunning(env, 'two')]);
    await waitUntil('both workers hold partitions of both destinations', async () => {
      const r = await fc.spawn('status', '-o', 'json');
      const s = JSON.parse(r.stdout) as { consumers: Array<{ workers: string[] }> };
      return s.consumers.length === 2 && s.consumers.every((c) => c.workers.length === 2);
    });
    for (const [i, n] of SIZES.entries()) {
      const v = i + 1;
      sendRows(env.config, env.config.lake.root, topic, v, 0, n);
      rowsPerPartition(n).forEach((rows, p) =>
        sendMarker(env.config, env.config.lake.root, topic, v, p, rows),
      );
      await waitUntil(`version ${v} published`, () => bothAre(env.config, FEED, v, 'published'), 90_000);
    }
    expect(await lakeVersions(env.config.lake.root, FEED)).toEqual(
      SIZES.map((n, i) => [i + 1, n, n, expectedSum(i + 1, n)]),
    );
    expect(latestJson(env.config.lake.root, FEED)).toMatchObject({ version: 3, rows: SIZES[2] });
    expect(await viewSummary(env.config, `dim_${FEED}_latest`)).toEqual({
      rows: SIZES[2],
      sum: expectedSum(3, SIZES[2] ?? 0),
      versions: '3-3',
    });
    const lines = publishedLines().sort(
      (a, b) => a.destination.localeCompare(b.destination) || a.version - b.version,
    );
    expect(lines).toEqual(
      ['lake', 'warehouse'].flatMap((destination) => [1, 2, 3].map((version) => ({ destination, version }))),
    );
    for (const w of workers) w.kill('SIGTERM');
    for (const w of workers) expect((await exited(w)).code).toBe(0);
    await fc.expectConverged();
  });
});
