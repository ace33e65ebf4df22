/**
 * Retention of a stream feed whose lake is on S3 (the test suite's S3Proxy): 40 days of back-dated data written
 * by a real worker, `retention.days: 30`: exactly the 10 oldest day prefixes go (objects deleted, DuckDB counts
 * what is left from a local copy), the warehouse rows likewise, one audit row per deletion, and a prefix of a feed
 * feedctl does not manage is never touched. `feedctl status` works on this lake too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { openStore } from '../../../src/runtime/lake/open-store.js';
import type { RetentionReport } from '../../../src/runtime/retention/job.js';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { localCopy } from '../../helpers/lake-backends.js';
import { lakeCounts, produce, tableCounts, waitUntil } from '../../helpers/runtime.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import { addConfig, agedMessages, agingFeedYaml, daysAgo, retentionAudit } from './retention-fixture.js';

const env = useTestEnv('ret_s3', { lake: 's3' });
const fc = useFeedctl(env);
const DAYS = 40;
const PER_DAY = 25;
const TOTAL = DAYS * PER_DAY;
const FOREIGN = 'streams/foreign/year=2020/month=01/day=01/p0-0-0-x.parquet';

async function report(...args: string[]): Promise<RetentionReport> {
  const r = await fc.cli('retention', '-o', 'json', ...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RetentionReport;
}

async function lakeRows(): Promise<number> {
  return (await lakeCounts(await localCopy(env.config.lake, undefined, 'streams/aging'), 'aging')).rows;
}

describe('stream retention on an S3 lake', () => {
  beforeAll(async () => {
    fc.writeFeed('aging', agingFeedYaml('aging', env.topic('aging'), 30));
    expect((await fc.cli('reconcile')).code).toBe(0);
    addConfig(fc, 'retention:\n  graceSeconds: 0');
    const worker = spawnWorker(env, fc, 'w');
    await waitRunning(env, 'w');
    const topic = await withMysql(env.config, async (c) => {
      const [r] = await c.query<RowDataPacket[]>(
        "SELECT kafka_topic FROM feed_registry WHERE feed_name = 'aging'",
      );
      return r[0]?.kafka_topic as string;
    });
    await produce(env.config, topic, agedMessages(DAYS, PER_DAY));
    await waitUntil('aging stored', async () => {
      if ((await tableCounts(env.config, 'fact_aging')).rows !== TOTAL) return false;
      return (await lakeRows()) === TOTAL;
    });
    const status = await fc.cli('status');
    expect(status.code, status.stderr).toBe(0); // status reads the control plane: the same on an S3 lake
    expect(status.stdout).toMatch(/aging\/lake\s+generation 1/);
    worker.kill('SIGTERM');
    expect((await exited(worker)).code).toBe(0);
    await openStore(env.config.lake).put(FOREIGN, new Uint8Array([1]));
  });

  it(
    'deletes exactly the expired day prefixes and rows, audited, and nothing else',
    { timeout: 120_000 },
    async () => {
      const dry = await report('--dry-run');
      const expired = Array.from({ length: 10 }, (_, i) => daysAgo(39 - i));
      const items = dry.feeds[0]?.items ?? [];
      const lakeItems = items.filter((i) => i.kind === 'lake partition');
      expect(lakeItems.map((i) => i.day)).toEqual(expired);
      expect(lakeItems.every((i) => i.files > 0 && i.bytes > 0)).toBe(true);

      expect((await report()).feeds[0]?.deleted).toBe(20);
      expect(await lakeRows()).toBe(30 * PER_DAY);
      expect((await tableCounts(env.config, 'fact_aging')).rows).toBe(30 * PER_DAY);
      const store = openStore(env.config.lake);
      for (const i of lakeItems) expect(await store.exists(i.target)).toBe(false);
      expect(await store.exists(FOREIGN)).toBe(true);

      const audit = await retentionAudit(env.config);
      expect(audit.filter((a) => a.kind === 'lake_partition').map((a) => a.files)).toEqual(
        lakeItems.map((i) => i.files),
      );
      expect(audit.every((a) => a.outcome === 'applied')).toBe(true);
      expect((await report('--dry-run')).feeds[0]?.items).toEqual([]);
      await fc.expectConverged();
    },
  );
});
