// The retention bench's feed and helpers, on top of runtime-scenario.mjs's withScenario: a warehouse-only stream
// feed with `retention: {days: 30}`; expired rows seeded server-side (INSERT … SELECT from a recursive CTE of
// 0..999 cross-joined with itself: MariaDB ≥ 10.2 and MySQL 8 alike), contiguous by id and spread over the days
// 100..40 days ago (oldest first, as rows arrive); `feedctl retention` as a child process; the worker's stderr
// counted line by line; the retention run's audit rows.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const BIN = new URL('../../bin/feedctl.js', import.meta.url).pathname;
export const KEEP_DAYS = 30;
export const OLDEST = 100;
export const NEWEST = 40;
const CHUNK = 100_000;

/** The feed: order_id (key), customer, amount, occurred_at (event time); warehouse only; 30 days kept. */
export const retentionYaml = (s) => `apiVersion: feedctl/v1
kind: Feed
metadata: {name: ${s.feed}, owner: bench}
spec:
  type: stream
  topic: {name: ${s.topic}, partitions: ${s.partitions}}
  schema:
    fields:
      - {name: order_id, type: string, maxLength: 24}
      - {name: customer, type: string, maxLength: 16}
      - {name: amount, type: decimal, precision: 12, scale: 2}
      - {name: occurred_at, type: timestamp}
    key: [order_id]
    eventTime: occurred_at
  destinations:
    lake: {enabled: false}
    warehouse: {enabled: true, table: ${s.table}}
  retention: {days: ${KEEP_DAYS}}
`;

/** Adds `retention` settings to the scenario's config file (workers: no scheduled runs, intervalSeconds 0). */
export function configureRetention(s, settings) {
  const doc = parse(readFileSync(s.configFile, 'utf8'));
  writeFileSync(s.configFile, stringify({ ...doc, retention: settings }), { mode: 0o600 });
}

/** Today's UTC date, YYYY-MM-DD. */
export const utcToday = () => new Date().toISOString().slice(0, 10);

/**
 * Seeds `n` expired rows `old-<i>` into the feed's table, in statements of 100,000 rows (every NOT NULL column
 * set; id, created_at, updated_at by default); row i is dated OLDEST − ⌊i·61/n⌋ days before today (UTC).
 * Returns the ms it took.
 */
export async function seedExpired(s, n) {
  const span = OLDEST - NEWEST + 1;
  const t0 = performance.now();
  for (let from = 0; from < n; from += CHUNK) {
    const sql = `INSERT INTO \`${s.table}\` (order_id, customer, amount, occurred_at, snapshot_date,
        snapshot_version, _event_time, _kafka_partition, _kafka_offset)
      WITH RECURSIVE d (k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < 999),
        r AS (SELECT ? + a.k * 1000 + b.k AS i FROM d a CROSS JOIN d b WHERE a.k < ?),
        x AS (SELECT i, DATE(?) - INTERVAL (? - FLOOR(i * ? / ?)) DAY AS day FROM r WHERE i < ?)
      SELECT CONCAT('old-', i), CONCAT('c-', i MOD 50000), (i MOD 100000) / 100,
        TIMESTAMP(day) + INTERVAL (i MOD 86400) SECOND, day, 0,
        TIMESTAMP(day) + INTERVAL (i MOD 86400) SECOND, i MOD 3, i DIV 3
      FROM x`;
    await s.pool.query(sql, [from, CHUNK / 1000, utcToday(), OLDEST, span, n, n]);
  }
  return performance.now() - t0;
}

/** Rows of the table dated before `day` (YYYY-MM-DD). */
export async function rowsBefore(s, day) {
  const [r] = await s.pool.query(`SELECT COUNT(*) AS n FROM \`${s.table}\` WHERE snapshot_date < ?`, [day]);
  return Number(r[0].n);
}

/** Rows not seeded, and their distinct (partition, offset) pairs and distinct keys. */
export async function producedRows(s) {
  const [r] = await s.pool.query(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT _kafka_partition, _kafka_offset) AS d, COUNT(DISTINCT order_id) AS k
     FROM \`${s.table}\` WHERE order_id NOT LIKE 'old-%'`,
  );
  return { rows: Number(r[0].n), distinct: Number(r[0].d), keys: Number(r[0].k) };
}

/** The child's environment: the config file decides; FEEDCTL_* settings of the bench's shell must not override it. */
function childEnv() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FEEDCTL_')));
  return { ...env, FEEDCTL_LOG_LEVEL: 'warn' };
}

/** `feedctl retention <feed> -o json` as a child process: its exit code, parsed report, stderr and wall ms. */
export function runRetentionCli(s) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, '--config', s.configFile, 'retention', s.feed, '-o', 'json'], {
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      let report = null;
      try {
        report = JSON.parse(stdout);
      } catch {
        // reported below with the exit code and stderr
      }
      resolve({ code, report, stderr, ms });
    });
  });
}

/**
 * Counts lines of the worker child's stderr matching each pattern (lines split over chunks are joined); keeps the
 * first 3 matching lines in `examples` and when each match arrived (performance.now()) in `times`.
 */
export function countLogLines(w, patterns) {
  const counts = Object.fromEntries(Object.keys(patterns).map((k) => [k, 0]));
  counts.examples = [];
  counts.times = Object.fromEntries(Object.keys(patterns).map((k) => [k, []]));
  let rest = '';
  const scan = (line) => {
    for (const [k, re] of Object.entries(patterns)) {
      if (!re.test(line)) continue;
      counts[k] += 1;
      counts.times[k].push(performance.now());
      if (counts.examples.length < 3) counts.examples.push(line.slice(0, 400));
    }
  };
  w.child.stderr.on('data', (b) => {
    const lines = (rest + b.toString()).split('\n');
    rest = lines.pop();
    lines.forEach(scan);
  });
  w.child.stderr.on('end', () => scan(rest));
  return counts;
}

/** The run's audit rows (actor retention): count, outcomes, Σ rows and Σ batches of their after_state. */
export async function auditOf(s, runId) {
  const [rows] = await s.pool.query(
    `SELECT outcome, after_state FROM audit_log
     WHERE actor = 'retention' AND resource_kind = 'warehouse_rows' AND plan_id = ?`,
    [runId],
  );
  const states = rows.map((r) =>
    typeof r.after_state === 'string' ? JSON.parse(r.after_state) : r.after_state,
  );
  return {
    entries: rows.length,
    applied: rows.filter((r) => r.outcome === 'applied').length,
    rows: states.reduce((n, a) => n + Number(a.rows ?? 0), 0),
    batches: states.reduce((n, a) => n + Number(a.batches ?? 0), 0),
    maxItemMs: Math.max(0, ...states.map((a) => Number(a.ms ?? 0))),
  };
}
