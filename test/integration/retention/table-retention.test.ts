/**
 * Retention of a table feed with `retention.versions: 2`: after version 3 is published, version 1 goes from the
 * lake and the warehouse (ledger `expired`), once the grace period is over; `_latest` is never touched. A version
 * pushed out within the grace period is kept and reported.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import type { RetentionReport } from '../../../src/runtime/retention/job.js';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { waitUntil } from '../../helpers/runtime.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import {
  bothAre,
  lakeVersions,
  latestJson,
  ledger,
  rowsPerPartition,
  sendMarker,
  sendRows,
  tableFeedYaml,
  viewSummary,
} from '../snapshots/snapshot-fixture.js';
import { addConfig, retentionAudit } from './retention-fixture.js';

const env = useTestEnv('ret_table');
const fc = useFeedctl(env);
const FEED = 'versions';
const N = 90;

describe('table retention', () => {
  let topic: string;
  let worker: ReturnType<typeof spawnWorker>;
  const publish = async (v: number) => {
    sendRows(env.config, env.config.lake.root, topic, v, 0, N);
    rowsPerPartition(N).forEach((rows, p) => sendMarker(env.config, env.config.lake.root, topic, v, p, rows));
    await waitUntil(`version ${v} published`, () => bothAre(env.config, FEED, v, 'published'), 60_000);
  };
  const retention = async (): Promise<RetentionReport> => {
    const r = await fc.cli('retention', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as RetentionReport;
  };
  const warehouseVersions = () =>
    withMysql(env.config, async (c) => {
      const [r] = await c.query<RowDataPacket[]>(
        `SELECT snapshot_version AS v, COUNT(*) AS n FROM dim_${FEED} GROUP BY 1 ORDER BY 1`,
      );
      return r.map((x) => [Number(x.v), Number(x.n)]);
    });

  beforeAll(async () => {
    topic = env.topic('versions');
    fc.writeFeed(
      FEED,
      tableFeedYaml(FEED, topic).replace('retention: {versions: 10}', 'retention: {versions: 2}'),
    );
    expect((await fc.cli('reconcile')).code).toBe(0);
    worker = spawnWorker(env, fc, 'w');
    await waitRunning(env, 'w');
    for (const v of [1, 2, 3]) await publish(v);
  });

  it('keeps the newest 2 published versions, after the grace period', { timeout: 120_000 }, async () => {
    addConfig(fc, 'retention:\n  graceSeconds: 0');
    const run = await retention();
    expect(run.feeds[0]?.items.map((i) => [i.kind, i.version])).toEqual([
      ['lake version', 1],
      ['warehouse rows', 1],
    ]);
    expect((await lakeVersions(env.config.lake.root, FEED)).map(([v, n]) => [v, n])).toEqual([
      [2, N],
      [3, N],
    ]);
    expect(await warehouseVersions()).toEqual([
      [2, N],
      [3, N],
    ]);
    for (const d of ['lake', 'warehouse']) {
      expect([...(await ledger(env.config, FEED, d))].map(([v, s]) => [v, s.state])).toEqual([
        [1, 'expired'],
        [2, 'published'],
        [3, 'published'],
      ]);
    }
    expect(latestJson(env.config.lake.root, FEED)?.version).toBe(3);
    expect((await viewSummary(env.config, `dim_${FEED}_latest`)).versions).toBe('3-3');
    const audit = await retentionAudit(env.config);
    expect(audit.map((a) => [a.kind, a.id, a.rows])).toEqual([
      ['lake_version', `${FEED}:tables/${FEED}/version=1`, 0],
      ['warehouse_rows', `${FEED}:dim_${FEED} snapshot_version=1`, N],
    ]);
  });

  it('keeps a version pushed out within the grace period', { timeout: 120_000 }, async () => {
    fc.writeConfig();
    addConfig(fc, 'retention:\n  graceSeconds: 3600');
    await publish(4);
    const run = await retention();
    expect(run.feeds[0]?.items).toEqual([]);
    expect(run.feeds[0]?.skipped).toEqual([
      'lake version 2: in its grace period, kept for now',
      'warehouse version 2: in its grace period, kept for now',
    ]);
    expect(existsSync(path.join(env.config.lake.root, 'tables', FEED, 'version=2'))).toBe(true);
    worker.kill('SIGTERM');
    expect((await exited(worker)).code).toBe(0);
    await fc.expectConverged();
  });
});
