/**
 * Retention deleting expired warehouse rows while a worker writes the same table: 100,000 rows seeded with SQL
 * over 8 days 40..47 days ago (12,500 a day: 3 batches of at most 5,000) in a stream feed that keeps 30 days;
 * `feedctl retention` runs as a child process while messages (event time now) are produced at ≈2,000 msg/s.
 * Every expired row goes, every message lands exactly once, the worker never hits a lock wait timeout, and the
 * audit has one row per day whose rows and batches add up.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createProducer } from '../../../src/clients/kafka.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import type { RetentionReport } from '../../../src/runtime/retention/job.js';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { refMessages, streamFeedYaml, waitUntil } from '../../helpers/runtime.js';
import { exitedWithin, spawnWorker, waitRunning } from '../../helpers/workers.js';

const env = useTestEnv('ret_concurrent');
const fc = useFeedctl(env);
const SEEDED = 100_000;
const DAYS = 8;
const BATCH_ROWS = 5000;
const TABLE = 'fact_ret';
const DAY_MS = 86_400_000;

const today = () => new Date().toISOString().slice(0, 10);
const cutoff = () => new Date(Date.now() - 29 * DAY_MS).toISOString().slice(0, 10);

/** SEEDED rows `old-<i>`, row i dated 47 − ⌊i·DAYS/SEEDED⌋ days before today (UTC), every NOT NULL column set. */
async function seed(): Promise<void> {
  await withMysql(env.config, (c) =>
    c.query(
      `INSERT INTO ${TABLE} (ref, at, snapshot_date, snapshot_version, _event_time, _kafka_partition, _kafka_offset)
       WITH RECURSIVE d (k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < 999),
         r AS (SELECT a.k * 1000 + b.k AS i FROM d a CROSS JOIN d b WHERE a.k < ?),
         x AS (SELECT i, DATE(?) - INTERVAL (? - FLOOR(i * ? / ?)) DAY AS day FROM r)
       SELECT CONCAT('old-', i), TIMESTAMP(day), day, 0, TIMESTAMP(day) + INTERVAL (i MOD 86400) SECOND,
         i MOD 3, i DIV 3
       FROM x`,
      [SEEDED / 1000, today(), 39 + DAYS, DAYS, SEEDED],
    ),
  );
}

async function query(sql: string, values: unknown[] = []): Promise<RowDataPacket[]> {
  return withMysql(env.config, async (c) => (await c.query<RowDataPacket[]>(sql, values))[0]);
}

/** The rows not seeded: count, distinct (partition, offset) pairs, distinct refs. */
async function produced(): Promise<{ rows: number; distinct: number; refs: number }> {
  const [r] = await query(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT _kafka_partition, _kafka_offset) AS d, COUNT(DISTINCT ref) AS k
     FROM ${TABLE} WHERE ref NOT LIKE 'old-%'`,
  );
  return { rows: Number(r?.n), distinct: Number(r?.d), refs: Number(r?.k) };
}

describe('retention deletes expired warehouse rows while a worker writes the table', () => {
  let worker: ChildProcess | undefined;
  afterAll(async () => {
    worker?.kill('SIGTERM');
    if (worker) await exitedWithin(worker, 30_000);
  });

  it('deletes every expired row in audited batches, and the worker keeps writing every message once', async () => {
    const own = readFileSync(fc.configFile, 'utf8');
    fc.writeConfig(
      `${own}retention:\n  intervalSeconds: 0\n  graceSeconds: 0\n  batchRows: ${BATCH_ROWS}\n  pauseMs: 20\n`,
    );
    const topic = env.topic('ret');
    fc.writeFeed('ret', streamFeedYaml({ name: 'ret', topic, retention: '{days: 30}' }));
    expect((await fc.cli('reconcile')).code).toBe(0);
    await seed();
    const [seeded] = await query(`SELECT COUNT(*) AS n FROM ${TABLE} WHERE snapshot_date < ?`, [cutoff()]);
    expect(Number(seeded?.n)).toBe(SEEDED);

    worker = spawnWorker(env, fc, 'w1');
    await waitRunning(env, 'w1');
    const producer = createProducer(env.config, { idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: refMessages('new', 0, 300) });
    let sent = 300;
    await waitUntil(
      'the worker to store the first messages',
      async () => (await produced()).rows >= sent,
      30_000,
      200,
    );
    let deleting = true;
    const load = (async () => {
      // 200 messages every 100 ms until the deletion ends, and at least 2 s
      for (const t0 = Date.now(); deleting || Date.now() - t0 < 2000;) {
        await producer.send({ topic, acks: -1, messages: refMessages('new', sent, 200) });
        sent += 200;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const before = (await produced()).rows;
    const run = await fc.spawn('retention', 'ret', '-o', 'json').finally(() => (deleting = false));
    const during = (await produced()).rows - before; // stored while the deletion ran
    await load;
    await producer.disconnect();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as RetentionReport;
    const feed = report.feeds[0];
    expect(feed).toMatchObject({ feed: 'ret', action: 'delete', error: null, deleted: DAYS });
    expect(report.totals.rows).toBe(SEEDED);
    expect(during).toBeGreaterThan(0);

    await waitUntil('the worker to store every message', async () => (await produced()).rows >= sent, 30_000);
    expect(await produced()).toEqual({ rows: sent, distinct: sent, refs: sent });
    const [left] = await query(`SELECT COUNT(*) AS n FROM ${TABLE} WHERE snapshot_date < ?`, [cutoff()]);
    expect(Number(left?.n)).toBe(0);

    worker.kill('SIGTERM');
    expect(await exitedWithin(worker, 30_000)).toEqual({ code: 0, signal: null });
    const log = readFileSync(path.join(env.config.lake.root, 'worker-w1.log'), 'utf8');
    expect(log).not.toMatch(/Lock wait timeout/i);

    const audit = await query(
      `SELECT outcome, after_state FROM audit_log
       WHERE actor = 'retention' AND resource_kind = 'warehouse_rows' AND plan_id = ?`,
      [report.runId],
    );
    const states = audit.map(
      (r) =>
        (typeof r.after_state === 'string' ? JSON.parse(r.after_state) : r.after_state) as {
          rows: number;
          batches: number;
        },
    );
    expect(audit.map((r) => r.outcome)).toEqual(new Array(DAYS).fill('applied'));
    expect(states.reduce((n, a) => n + a.rows, 0)).toBe(SEEDED);
    expect(states.reduce((n, a) => n + a.batches, 0)).toBeGreaterThanOrEqual(SEEDED / BATCH_ROWS);
    for (const a of states) expect(a.batches).toBeGreaterThanOrEqual(Math.ceil(a.rows / BATCH_ROWS));
    await fc.expectConverged();
  }, 120_000);
});
