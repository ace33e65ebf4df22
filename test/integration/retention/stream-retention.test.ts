/**
 * Retention of stream feeds on real lake folders and MariaDB: a feed with 40 days of back-dated data and
 * `retention.days: 30` loses exactly its 10 oldest days in the lake and the warehouse (DuckDB and SQL count what
 * is left), with one audit row per deletion; `auto_delete: false` deletes nothing and reports exactly what the dry
 * run lists; links planted in the lake are never followed, and a feed feedctl does not manage is never touched.
 */
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import type { RetentionReport } from '../../../src/runtime/retention/job.js';
import { useFeedctl } from '../../helpers/cli.js';
import { duck, lit } from '../../helpers/duckdb.js';
import { useTestEnv } from '../../helpers/env.js';
import { lakeCounts, produce, tableCounts, waitUntil } from '../../helpers/runtime.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import { addConfig, agedMessages, agingFeedYaml, daysAgo, retentionAudit } from './retention-fixture.js';

const env = useTestEnv('ret_stream');
const fc = useFeedctl(env);
const DAYS = 40;
const PER_DAY = 25;
const TOTAL = DAYS * PER_DAY;

async function report(...args: string[]): Promise<RetentionReport> {
  const r = await fc.cli('retention', '-o', 'json', ...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RetentionReport;
}

/** The day folder of the UTC date `n` days ago. */
function dayDir(feed: string, n: number): string {
  const [y, m, d] = daysAgo(n).split('-');
  return path.join(env.config.lake.root, 'streams', feed, `year=${y}`, `month=${m}`, `day=${d}`);
}

describe('stream retention', () => {
  const outside = mkdtempSync(path.join(tmpdir(), 'feedctl-outside-'));
  beforeAll(async () => {
    fc.writeFeed('aging', agingFeedYaml('aging', env.topic('aging'), 30));
    fc.writeFeed('kept', agingFeedYaml('kept', env.topic('kept'), 30, false));
    expect((await fc.cli('reconcile')).code).toBe(0);
    addConfig(fc, 'retention:\n  graceSeconds: 0');
    const worker = spawnWorker(env, fc, 'w');
    await waitRunning(env, 'w');
    const messages = agedMessages(DAYS, PER_DAY);
    for (const feed of ['aging', 'kept']) {
      await produce(env.config, (await feedTopic(feed)) ?? '', messages);
    }
    for (const feed of ['aging', 'kept']) {
      await waitUntil(`${feed} stored`, async () => {
        const lake = (await lakeCounts(env.config.lake.root, feed)).rows;
        return lake === TOTAL && (await tableCounts(env.config, `fact_${feed}`)).rows === TOTAL;
      });
    }
    worker.kill('SIGTERM');
    expect((await exited(worker)).code).toBe(0);
  });

  async function feedTopic(feed: string): Promise<string | undefined> {
    return withMysql(env.config, async (c) => {
      const [r] = await c.query<RowDataPacket[]>(
        'SELECT kafka_topic FROM feed_registry WHERE feed_name = ?',
        [feed],
      );
      return r[0]?.kafka_topic as string | undefined;
    });
  }

  it('plants links and a feed feedctl does not manage', async () => {
    writeFileSync(path.join(outside, 'precious.txt'), 'not the lake');
    symlinkSync(outside, path.join(dayDir('aging', 35), 'escape'));
    mkdirSync(path.dirname(dayDir('aging', 60)), { recursive: true });
    symlinkSync(outside, dayDir('aging', 60));
    const foreign = path.join(env.config.lake.root, 'streams', 'foreign', 'year=2020', 'month=01', 'day=01');
    mkdirSync(foreign, { recursive: true });
    writeFileSync(path.join(foreign, 'p0-0-0-x.parquet'), 'x');
    await withMysql(env.config, async (c) => {
      await c.query(
        "INSERT INTO feed_registry (feed_name, feed_type, kafka_topic, partitioning_strategy) VALUES ('foreign', 'stream', 'foreign', 'date')",
      );
      await c.query(
        "INSERT INTO data_retention_policies (feed_name, feed_type, retention_days, auto_delete) VALUES ('foreign', 'stream', 1, TRUE)",
      );
    });
  });

  it(
    'deletes exactly the expired days of a feed, audited; auto_delete: false only reports',
    { timeout: 120_000 },
    async () => {
      const dry = await report('--dry-run');
      expect(dry.feeds.map((f) => f.feed)).toEqual(['aging', 'kept']);
      const expired = Array.from({ length: 10 }, (_, i) => daysAgo(39 - i));
      const aging = dry.feeds[0]!;
      expect(aging.items.filter((i) => i.kind === 'lake partition').map((i) => i.day)).toEqual(expired);
      expect(aging.items.filter((i) => i.kind === 'warehouse rows').map((i) => [i.day, i.rows])).toEqual(
        expired.map((d) => [d, PER_DAY]),
      );
      expect(aging.skipped.join('\n')).toMatch(/day=\d\d: not a folder \(a symbolic link\?\), left alone/);

      const run = await report();
      expect(run.feeds[0]?.deleted).toBe(20);
      expect(run.feeds[1]).toMatchObject({ feed: 'kept', action: 'report', deleted: 0 });
      expect(run.feeds[1]?.items).toEqual(dry.feeds[1]?.items);

      const glob = lit(path.join(env.config.lake.root, 'streams', 'aging', '**', '*.parquet'));
      const [left] = await duck(
        `SELECT count(*) AS n, count(DISTINCT CAST("at" AS DATE)) AS days, CAST(CAST(min("at") AS DATE) AS VARCHAR) AS first_day
       FROM read_parquet(${glob}, hive_partitioning = true)`,
      );
      expect([Number(left?.n), Number(left?.days), left?.first_day]).toEqual([30 * PER_DAY, 30, daysAgo(29)]);
      expect((await tableCounts(env.config, 'fact_aging')).rows).toBe(30 * PER_DAY);
      expect((await lakeCounts(env.config.lake.root, 'kept')).rows).toBe(TOTAL);
      expect((await tableCounts(env.config, 'fact_kept')).rows).toBe(TOTAL);

      const audit = await retentionAudit(env.config);
      expect(audit.every((a) => a.outcome === 'applied' && a.id.startsWith('aging:'))).toBe(true);
      expect(audit.filter((a) => a.kind === 'lake_partition').map((a) => a.files)).toEqual(
        aging.items.filter((i) => i.kind === 'lake partition').map((i) => i.files),
      );
      expect(audit.filter((a) => a.kind === 'warehouse_rows').reduce((n, a) => n + a.rows, 0)).toBe(
        10 * PER_DAY,
      );

      expect(existsSync(path.join(outside, 'precious.txt'))).toBe(true);
      expect(existsSync(path.join(env.config.lake.root, 'streams', 'foreign', 'year=2020'))).toBe(true);
      expect((await report('--dry-run')).feeds[0]?.items).toEqual([]);
      await fc.expectConverged();
    },
  );
});
