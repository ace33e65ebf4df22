// Benchmark (not a test): the warehouse sink's throughput on the local MySQL/MariaDB, N rows of a representative
// feed (the seed's customer_events: three strings, a decimal, an int, a timestamp), each method into an empty
// table of the same shape. Compared, in the same run:
//   - the seed's way: one `INSERT … ON DUPLICATE KEY UPDATE` per row, autocommit        (goal: sink ≥ 20×)
//   - the command-line client: a mysqldump-style file of extended INSERTs piped to `mariadb` (goal: sink ≥ 0.7×),
//     and `LOAD DATA LOCAL INFILE` of a TSV through `mariadb --local-infile`                 (goal: sink ≥ 0.8×)
//   - the sink's two paths at BATCH records a write: LOAD DATA (`localInfile: on`: straight into the table when
//     a part's keys are new, as here, else into a temporary table + one guarded INSERT … SELECT) and multi-row
//     upserts (`off`); the sink itself runs `auto`
//   - the crossover: both paths at write sizes from 100 to 10,000 records (BENCH_CROSSOVER_ROWS rows each, best
//     of BENCH_REPEAT); the smallest size from which LOAD DATA stays faster (within 5 % noise) is printed next to
//     the sink's threshold (BULK_MIN_ROWS in src/runtime/warehouse/bulk.ts)
//   - the sink's statement choice: 1000-row upserts through query() (client-side escaping) vs execute() (prepared)
// Run: npm run bench -- warehouse (builds first). Uses its own database, dropped at the end.
// Env: BENCH_ROWS (default 100000), BENCH_SEED_ROWS (rows for the per-row baseline, default BENCH_ROWS),
// BENCH_BATCH (records per sink write, default 10000), BENCH_MYSQL_CLIENT (default mariadb), BENCH_REPEAT
// (default 3: every method but the slow per-row baseline runs that many times, interleaved; the best run counts,
// which filters out the noise of other processes on a shared machine), BENCH_CROSSOVER_ROWS (default 40000; 0
// skips the crossover).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../dist/config/config.js';
import { createMysqlPool, withMysql } from '../dist/clients/mysql.js';
import { migrateUp } from '../dist/control/migrate.js';
import { createTableSql } from '../dist/reconciler/tables/ddl.js';
import { resolveCollations } from '../dist/reconciler/tables/collations.js';
import { desiredTable } from '../dist/reconciler/tables/desired.js';
import { observeCollations } from '../dist/reconciler/tables/observe.js';
import { BULK_MIN_ROWS } from '../dist/runtime/warehouse/load-path.js';
import { WarehouseSink } from '../dist/runtime/warehouse/sink.js';
import { upsertStatement, upsertTemplate } from '../dist/runtime/warehouse/sql.js';
import { rowValues } from '../dist/runtime/warehouse/values.js';

const N = Number(process.env.BENCH_ROWS ?? 100_000);
const SEED_ROWS = Number(process.env.BENCH_SEED_ROWS ?? N);
const BATCH = Number(process.env.BENCH_BATCH ?? 10_000);
const CLIENT = process.env.BENCH_MYSQL_CLIENT ?? 'mariadb';
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const CROSSOVER_ROWS = Number(process.env.BENCH_CROSSOVER_ROWS ?? 40_000);
const CROSSOVER_SIZES = [100, 250, 500, 1000, 2000, 3000, 5000, 10_000];
const PARTITIONS = 3;
const T0 = Date.UTC(2025, 0, 1);
const FIELDS = [
  ['event_id', { kind: 'string', maxLength: 64 }, false],
  ['customer_id', { kind: 'string', maxLength: 64 }, false],
  ['event', { kind: 'string', maxLength: 32 }, false],
  ['amount', { kind: 'decimal', precision: 15, scale: 2 }, true],
  ['quantity', { kind: 'int' }, true],
  ['occurred_at', { kind: 'timestamp' }, false],
].map(([name, type, nullable]) => ({ name, type, nullable, description: null }));
const TABLE = 'fact_bench_events';
const feed = {
  name: 'bench_events',
  manifestPath: 'bench',
  metadata: { owner: null, description: null, labels: {} },
  type: 'stream',
  enabled: true,
  topic: { name: 'bench.events', partitions: PARTITIONS, replicationFactor: null, configs: {}, adopt: false },
  schema: { fields: FIELDS, key: ['event_id'], eventTime: { source: 'field', field: 'occurred_at' } },
  destinations: {
    lake: { enabled: false, compression: 'snappy', flush: { maxRows: 1, maxBytes: 1, idleSeconds: 1 } },
    warehouse: { enabled: true, table: TABLE, adopt: false },
  },
  retention: { days: 90, versions: null, autoDelete: true },
  access: { roles: [] },
  deadLetter: { enabled: false, topic: 'bench.events-dlq' },
};
const EVENTS = ['view', 'add_to_cart', 'purchase', 'refund'];

/** Record i: partition i mod 3, offsets dense per partition, 10 events a second. */
function record(i) {
  const at = T0 + i * 100;
  const values = [
    `evt-${i}`,
    `cust-${i % 5000}`,
    EVENTS[i % 4],
    ((i % 1_000_000) / 100).toFixed(2),
    i % 17,
    at,
  ];
  return {
    partition: i % PARTITIONS,
    offset: Math.floor(i / PARTITIONS),
    timestampMs: at,
    eventTimeMs: at,
    values,
  };
}
const records = Array.from({ length: N }, (_, i) => record(i));
const rows = records.map((r) => rowValues(FIELDS, r, { snapshotVersion: 0 }));
const template = upsertTemplate(feed);

async function timed(label, n, fn) {
  const t = process.hrtime.bigint();
  await fn();
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  return { label, n, s, rate: n / s };
}

/** The first `n` records through a sink in writes of `batch` records (all partitions in each write). */
async function sinkRun(pool, localInfile = 'auto', batch = BATCH, n = N) {
  const sink = new WarehouseSink({ pool, feed, generation: 1, topic: feed.topic.name, localInfile });
  await sink.loadOffsets([...Array(PARTITIONS).keys()]);
  for (let i = 0; i < n; i += batch) {
    const slice = records.slice(i, Math.min(i + batch, n));
    const batches = [...Array(PARTITIONS).keys()].map((p) => {
      const mine = slice.filter((r) => r.partition === p);
      return { partition: p, records: mine, nextOffset: (mine.at(-1)?.offset ?? -1) + 1 };
    });
    await sink.write(batches.filter((b) => b.records.length > 0));
  }
}

async function perRowRun(pool) {
  const one = upsertStatement(template, [rows[0]]).sql;
  for (let i = 0; i < SEED_ROWS; i++) await pool.query(one, rows[i]);
}

/** The sink's statements alone (no fence, savepoints or offsets), one transaction per BATCH rows like the sink. */
async function chunkRun(pool, method) {
  const conn = await pool.getConnection();
  try {
    for (let i = 0; i < N; i += 1000) {
      if (i % BATCH === 0) await conn.query('START TRANSACTION');
      const s = upsertStatement(template, rows.slice(i, i + 1000));
      await conn[method](s.sql, s.values);
      if ((i + 1000) % BATCH === 0 || i + 1000 >= N) await conn.query('COMMIT');
    }
  } finally {
    conn.release();
  }
}

/** Column order of the client files: the sink's (fields, then snapshot and lineage columns). */
const quoted = template.columns.map((c) => `\`${c}\``).join(', ');

function dumpFile(pool, dir) {
  const lines = [
    '/*!40101 SET NAMES utf8mb4 */;',
    "SET time_zone = '+00:00';",
    `LOCK TABLES \`${TABLE}\` WRITE;`,
  ];
  let stmt = [];
  let bytes = 0;
  const flush = () => {
    if (stmt.length > 0) lines.push(`INSERT INTO \`${TABLE}\` (${quoted}) VALUES ${stmt.join(',')};`);
    stmt = [];
    bytes = 0;
  };
  for (const r of rows) {
    const tuple = `(${r.map((v) => pool.escape(v)).join(',')})`;
    stmt.push(tuple);
    bytes += tuple.length;
    if (bytes >= 1_000_000) flush(); // mysqldump's default net_buffer_length
  }
  flush();
  lines.push('UNLOCK TABLES;');
  const file = path.join(dir, 'dump.sql');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function tsvFile(dir) {
  const esc = (v) =>
    v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
  const file = path.join(dir, 'rows.tsv');
  writeFileSync(file, rows.map((r) => r.map(esc).join('\t')).join('\n') + '\n');
  return file;
}

/** Runs the command-line client on the bench database, with `input` (a Buffer) on its stdin. */
function client(config, args, input) {
  const u = new URL(config.mysql.url);
  const conn = ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username || 'root')];
  const password = config.mysql.password ?? decodeURIComponent(u.password);
  const r = spawnSync(CLIENT, [...conn, ...args, config.mysql.database], {
    stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'inherit'],
    input,
    env: { ...process.env, MYSQL_PWD: password },
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`${CLIENT} exited with ${r.status ?? r.signal}`);
}

async function count(pool) {
  const [r] = await pool.query(`SELECT COUNT(*) AS n FROM \`${TABLE}\``);
  return Number(r[0].n);
}

/** Every method measured, each loading the same rows into an empty table. */
function benchMethods(config, pool, dir) {
  const dump = dumpFile(pool, dir);
  const tsv = tsvFile(dir);
  const load =
    `LOAD DATA LOCAL INFILE '${tsv}' INTO TABLE \`${TABLE}\` CHARACTER SET utf8mb4` +
    ` FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${quoted})`;
  return [
    { label: `sink: WarehouseSink.write, ${BATCH}-record writes`, n: N, run: () => sinkRun(pool) },
    { label: 'sink path: LOAD DATA (direct or temp table)', n: N, run: () => sinkRun(pool, 'on') },
    { label: 'sink path: multi-row upserts', n: N, run: () => sinkRun(pool, 'off') },
    { label: 'seed: 1 upsert per row, autocommit', n: SEED_ROWS, run: () => perRowRun(pool), once: true },
    {
      label: 'client: extended INSERTs | mariadb',
      n: N,
      run: async () => client(config, [], readFileSync(dump)),
    },
    {
      label: 'client: LOAD DATA LOCAL INFILE',
      n: N,
      run: async () => client(config, ['--local-infile=1', '-e', load]),
    },
    { label: 'chunks: 1000-row upserts, query()', n: N, run: () => chunkRun(pool, 'query') },
    { label: 'chunks: 1000-row upserts, execute()', n: N, run: () => chunkRun(pool, 'execute') },
  ];
}

async function main() {
  const base = loadConfig().config;
  const database = `bench_wh_${Math.random().toString(16).slice(2, 8)}`;
  const config = { ...base, mysql: { ...base.mysql, database } };
  const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-bench-wh-'));
  await withMysql(config, (c) => c.query(`CREATE DATABASE \`${database}\``), { withDatabase: false });
  const pool = createMysqlPool(config, 2);
  const results = new Map();
  let methods = [];
  let crossover = [];
  try {
    await migrateUp(config);
    const server = await withMysql(config, observeCollations);
    const ddl = createTableSql(resolveCollations(desiredTable(feed), server));
    await pool.query(ddl.sql, ddl.values);
    const fresh = async () => {
      await pool.query(`TRUNCATE TABLE \`${TABLE}\``);
      await pool.query('DELETE FROM feedctl_offsets');
    };
    methods = benchMethods(config, pool, dir);
    for (let rep = 0; rep < REPEAT; rep++) {
      // each round starts with another method, so that none always runs first (or right after the slow baseline)
      const round = [...methods.slice(rep % methods.length), ...methods.slice(0, rep % methods.length)];
      for (const m of round.filter((x) => rep === 0 || !x.once)) {
        await fresh();
        const r = await timed(m.label, m.n, m.run);
        if ((await count(pool)) !== m.n) throw new Error(`${m.label}: expected ${m.n} rows`);
        const best = results.get(m.label);
        if (best === undefined || r.rate > best.rate) results.set(m.label, r);
      }
    }
    crossover = await measureCrossover(pool, fresh);
  } finally {
    await pool.end();
    await withMysql(config, (c) => c.query(`DROP DATABASE IF EXISTS \`${database}\``), {
      withDatabase: false,
    });
    rmSync(dir, { recursive: true, force: true });
  }
  report(methods.map((m) => results.get(m.label)));
  reportCrossover(crossover);
}

/** Both sink paths at each write size, best of REPEAT, on the first CROSSOVER_ROWS records. */
async function measureCrossover(pool, fresh) {
  const n = Math.min(CROSSOVER_ROWS, N);
  if (n === 0) return [];
  const out = [];
  for (const size of CROSSOVER_SIZES) {
    const best = { on: 0, off: 0 };
    for (let rep = 0; rep < REPEAT; rep++) {
      for (const mode of rep % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
        await fresh();
        const r = await timed(mode, n, () => sinkRun(pool, mode, size, n));
        if ((await count(pool)) !== n) throw new Error(`crossover ${mode} ${size}: expected ${n} rows`);
        best[mode] = Math.max(best[mode], r.rate);
      }
    }
    out.push({ size, ...best });
  }
  return out;
}

/**
 * The smallest measured size at which LOAD DATA is faster and, at every larger size, not slower by more than 5 %
 * (the run-to-run noise of a shared machine), or null.
 */
function crossoverSize(rows) {
  let from = null;
  for (const r of [...rows].reverse()) {
    if (r.on < 0.95 * r.off) break;
    if (r.on >= r.off) from = r.size;
  }
  return from;
}

function reportCrossover(rows) {
  if (rows.length === 0) return;
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  const n = Math.min(CROSSOVER_ROWS, N).toLocaleString('en-US');
  console.log(`\nsink paths by write size (${n} rows each, best of ${REPEAT})\n`);
  console.log('records/write   LOAD DATA rows/s   multi-row rows/s   LOAD ÷ multi');
  for (const r of rows) {
    console.log(
      `${String(r.size).padStart(13)}   ${fmt(r.on).padStart(16)}   ${fmt(r.off).padStart(16)}   ${(r.on / r.off).toFixed(2).padStart(10)}×`,
    );
  }
  const at = crossoverSize(rows);
  console.log(
    `\ncrossover: LOAD DATA is faster from ${at === null ? 'no measured size' : `${at} records a write`}` +
      ' (and not slower by more than 5 % at any larger size)' +
      ` (the sink's auto threshold: ${BULK_MIN_ROWS})`,
  );
}

function report(results) {
  const sink = results[0];
  const by = (prefix) => results.find((r) => r.label.startsWith(prefix));
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  console.log(
    `\nwarehouse sink benchmark (${N.toLocaleString('en-US')} rows, local server, best of ${REPEAT})\n`,
  );
  console.log('method                                          rows   seconds      rows/s   sink ÷ method');
  for (const r of results) {
    console.log(
      `${r.label.padEnd(44)} ${String(r.n).padStart(7)}  ${r.s.toFixed(2).padStart(8)}  ${fmt(r.rate).padStart(10)}` +
        `   ${(sink.rate / r.rate).toFixed(2).padStart(6)}×`,
    );
  }
  const goal = (label, r, min) => {
    const x = sink.rate / r.rate;
    console.log(`${label.padEnd(46)} ${x.toFixed(2)}× (goal ≥ ${min}×) ${x >= min ? 'met' : 'NOT met'}`);
  };
  console.log('');
  goal('sink vs seed (one upsert per row)', by('seed'), 20);
  goal('sink vs client, extended INSERTs', by('client: extended'), 0.7);
  goal('sink vs client, LOAD DATA LOCAL INFILE', by('client: LOAD'), 0.8);
  const q = by('chunks: 1000-row upserts, query');
  const e = by('chunks: 1000-row upserts, execute');
  console.log(`${'query() ÷ execute() for 1000-row upserts'.padEnd(46)} ${(q.rate / e.rate).toFixed(2)}×`);
}

await main();
