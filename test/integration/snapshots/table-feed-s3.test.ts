/**
 * A table feed with its lake on S3 (the test suite's S3Proxy): two versions of a 6,000-row table, the worker
 * SIGKILLed in the middle of the second and restarted. Read the documented way (docs/lake.md) — `_latest.json` and
 * exactly the files it lists, and the `version=N` prefixes holding `_SUCCESS` — each version is whole, exactly
 * once; the warehouse's `_latest` view agrees; nothing stays staged. Ends with an empty re-plan.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/runtime/lake/open-store.js';
import { useFeedctl } from '../../helpers/cli.js';
import { duck, lit } from '../../helpers/duckdb.js';
import { useTestEnv } from '../../helpers/env.js';
import { localCopy } from '../../helpers/lake-backends.js';
import { waitUntil } from '../../helpers/runtime.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import {
  bothAre,
  expectedSum,
  lakeVersions,
  ledger,
  rowsPerPartition,
  sendMarker,
  sendRows,
  tableFeedYaml,
  viewSummary,
} from './snapshot-fixture.js';

const env = useTestEnv('snap_s3', { lake: 's3' });
const fc = useFeedctl(env);
const FEED = 'catalog';
const SESSION = { FEEDCTL_KAFKA_SESSION_TIMEOUT_MS: '6000' };
const N = 6000;

/** The latest version as its documented reader gets it: `_latest.json`, then exactly the files it lists. */
async function readLatestVersion(): Promise<{ version: number; rows: number; sum: bigint }> {
  const store = openStore(env.config.lake);
  const latest = JSON.parse(new TextDecoder().decode((await store.read(`tables/${FEED}/_latest.json`))!)) as {
    version: number;
    files: string[];
  };
  const root = await localCopy(env.config.lake, store, `tables/${FEED}/version=${latest.version}`);
  const files = latest.files.map((f) => lit(path.join(root, f))).join(', ');
  const [r] = await duck(`SELECT count(*) AS n, sum(n)::BIGINT AS s FROM read_parquet([${files}])`);
  return { version: latest.version, rows: Number(r?.n), sum: BigInt(String(r?.s)) };
}

describe('a table feed on an S3 lake', () => {
  let topic: string;
  const send = (v: number, from: number, to: number) => sendRows(env.config, env.scratch, topic, v, from, to);
  const seal = (v: number) =>
    rowsPerPartition(N).forEach((rows, p) => sendMarker(env.config, env.scratch, topic, v, p, rows));
  const published = (v: number) =>
    waitUntil(`version ${v} published`, () => bothAre(env.config, FEED, v, 'published'), 90_000);

  beforeAll(async () => {
    topic = env.topic('catalog');
    fc.writeFeed(FEED, tableFeedYaml(FEED, topic));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it(
    'publishes whole versions through a SIGKILL, read the documented way',
    { timeout: 240_000 },
    async () => {
      let worker = spawnWorker(env, fc, 'a', SESSION);
      await waitRunning(env, 'a');
      send(1, 0, N);
      seal(1);
      await published(1);
      expect(await readLatestVersion()).toEqual({ version: 1, rows: N, sum: expectedSum(1, N) });

      send(2, 0, N / 2);
      await waitUntil(
        'version 2 open',
        async () => (await ledger(env.config, FEED, 'lake')).get(2)?.state === 'open',
      );
      worker.kill('SIGKILL');
      await exited(worker);
      send(2, N / 2, N);
      seal(2);
      worker = spawnWorker(env, fc, 'b', SESSION);
      await published(2);

      expect(await readLatestVersion()).toEqual({ version: 2, rows: N, sum: expectedSum(2, N) });
      const copy = await localCopy(env.config.lake, undefined, `tables/${FEED}`);
      expect(await lakeVersions(copy, FEED)).toEqual([
        [1, N, N, expectedSum(1, N)],
        [2, N, N, expectedSum(2, N)],
      ]);
      const store = openStore(env.config.lake);
      for (const v of [1, 2]) expect(await store.exists(`tables/${FEED}/version=${v}/_SUCCESS`)).toBe(true);
      expect(await store.list(`tables/${FEED}/_staging`)).toEqual([]);
      expect(await viewSummary(env.config, `dim_${FEED}_latest`)).toEqual({
        rows: N,
        sum: expectedSum(2, N),
        versions: '2-2',
      });
      expect((await fc.spawn('status')).stdout).toContain(`${FEED}/lake  published v2 (${N} rows`);
      worker.kill('SIGTERM');
      expect((await exited(worker)).code).toBe(0);
      await fc.expectConverged();
    },
  );
});
