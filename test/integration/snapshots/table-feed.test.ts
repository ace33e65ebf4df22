/**
 * Table feeds end to end (the acceptance of the snapshot contract): three versions of a 10,000-row table over 3
 * partitions with end markers and row counts, version 2 smaller, the worker SIGKILLed in the middle of version 3
 * and restarted. Then the lake holds exactly version=1..3 (DuckDB), `_latest.json` names 3 and the `_latest` view
 * shows exactly version 3. A 4th version without markers is not published; a 5th whose marker count is wrong is
 * incomplete and publishes nothing. Ends with an empty re-plan.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { feedGroupIds } from '../../../src/config/consumer-groups.js';
import { withAdmin } from '../../../src/clients/kafka.js';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { waitUntil } from '../../helpers/runtime.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import {
  bothAre,
  expectedSum,
  lakeVersions,
  latestJson,
  ledger,
  PARTITIONS,
  rowsPerPartition,
  sendMarker,
  sendRows,
  tableFeedYaml,
  viewSummary,
  workerLogTail,
  partitionRows,
} from './snapshot-fixture.js';

const env = useTestEnv('snap_table');
const fc = useFeedctl(env);
const FEED = 'catalog';
const SESSION = { FEEDCTL_KAFKA_SESSION_TIMEOUT_MS: '6000', FEEDCTL_LOG_LEVEL: 'info' };
const SIZES = { 1: 10_000, 2: 9_000, 3: 10_000 } as const;

describe('a table feed publishes whole versions, exactly once', () => {
  let topic: string;
  const dir = () => env.config.lake.root;
  const send = (v: number, from: number, to: number) => sendRows(env.config, dir(), topic, v, from, to);
  const seal = (v: number, n: number, wrong: number | null = null) =>
    rowsPerPartition(n).forEach((rows, p) =>
      sendMarker(env.config, dir(), topic, v, p, p === wrong ? rows + 1 : rows),
    );
  const published = (v: number, timeoutMs = 90_000) =>
    waitUntil(
      `version ${v} published in the lake and the warehouse`,
      () => bothAre(env.config, FEED, v, 'published'),
      timeoutMs,
    ).catch(async (err: unknown) => {
      const state =
        JSON.stringify([...(await ledger(env.config, FEED, 'lake'))]) +
        JSON.stringify(await partitionRows(env.config, FEED));
      const tails = ['a', 'b'].map((w) => workerLogTail(dir(), w)).join('\n');
      throw new Error(`${String(err)}\nlake ledger: ${state}\n${tails}`);
    });

  beforeAll(async () => {
    topic = env.topic('catalog');
    fc.writeFeed(FEED, tableFeedYaml(FEED, topic));
    const r = await fc.cli('reconcile');
    expect(r.code, r.stderr).toBe(0);
  });

  it(
    'three versions, a SIGKILL in the third, then no markers and a wrong count',
    { timeout: 300_000 },
    async () => {
      let worker = spawnWorker(env, fc, 'a', SESSION);
      await waitRunning(env, 'a');
      send(1, 0, SIZES[1]);
      seal(1, SIZES[1]);
      await published(1);
      send(2, 0, SIZES[2]);
      seal(2, SIZES[2]);
      await published(2);

      send(3, 0, SIZES[3] / 2);
      await waitUntil('version 3 open, rows written, before the kill', async () => {
        return (await ledger(env.config, FEED, 'warehouse')).get(3)?.state === 'open';
      });
      await new Promise((r) => setTimeout(r, 1500));
      worker.kill('SIGKILL');
      await exited(worker);
      send(3, SIZES[3] / 2, SIZES[3]);
      seal(3, SIZES[3]);
      worker = spawnWorker(env, fc, 'b', SESSION);
      await published(3);
      // The spawned worker consumes in this file's own groups (its prefix from env.vars), not `feedctl.catalog.*`.
      const ids = feedGroupIds(env.config, FEED);
      expect(ids[0]).toMatch(/^feedctl\.ft_snap_table_\w+\.catalog\.lake$/);
      const { groups } = await withAdmin(env.config, (a) => a.describeGroups(ids));
      expect(groups.map((g) => [g.groupId, g.members.length])).toEqual(ids.map((id) => [id, 1]));

      expect(await lakeVersions(dir(), FEED)).toEqual([
        [1, SIZES[1], SIZES[1], expectedSum(1, SIZES[1])],
        [2, SIZES[2], SIZES[2], expectedSum(2, SIZES[2])],
        [3, SIZES[3], SIZES[3], expectedSum(3, SIZES[3])],
      ]);
      expect(latestJson(dir(), FEED)).toMatchObject({ version: 3, rows: SIZES[3] });
      expect(await viewSummary(env.config, `dim_${FEED}_latest`)).toEqual({
        rows: SIZES[3],
        sum: expectedSum(3, SIZES[3]),
        versions: '3-3',
      });

      // Version 4 without end markers: written, never published.
      send(4, 0, 3000);
      await waitUntil('version 4 rows written', async () =>
        (await ledger(env.config, FEED, 'warehouse')).has(4),
      );
      // Version 5 with a wrong count on partition 1: incomplete in both destinations.
      send(5, 0, 3000);
      seal(5, 3000, 1);
      await waitUntil('version 5 incomplete', () => bothAre(env.config, FEED, 5, 'incomplete'));
      const v5 = (await ledger(env.config, FEED, 'lake')).get(5);
      expect(v5?.reason).toContain('partition 1: 1000 rows written, end marker says 1001');
      expect((await ledger(env.config, FEED, 'lake')).get(4)?.state).toBe('open');
      expect(latestJson(dir(), FEED)?.version).toBe(3);
      expect((await lakeVersions(dir(), FEED)).map((v) => v[0])).toEqual([1, 2, 3]);
      expect((await viewSummary(env.config, `dim_${FEED}_latest`)).versions).toBe('3-3');

      const status = (await fc.spawn('status')).stdout;
      for (const d of ['lake', 'warehouse']) {
        expect(status).toContain(`${FEED}/${d}  published v3 (${SIZES[3]} rows`);
        expect(status).toMatch(new RegExp(`${FEED}/${d} .*open v4: 0/3 partitions sealed`));
        expect(status).toMatch(new RegExp(`${FEED}/${d} .*INCOMPLETE v5: partition 1: 1000 rows written`));
      }
      worker.kill('SIGTERM');
      expect((await exited(worker)).code).toBe(0);
      expect(PARTITIONS).toBe(3);
      await fc.expectConverged();
    },
  );
});
