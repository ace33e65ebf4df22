// Setup and teardown of one runtime-bench scenario on the local stack: its own database (migrated), a stream feed
// manifest reconciled with the real `applyReconcile` (topic with 3 partitions, dead-letter topic, warehouse table,
// consumer rows), a lake folder and a config file for the worker child. Everything is removed by `withScenario`,
// also when the scenario fails or the bench is interrupted (Ctrl-C). Plus the producers and readers the scenarios
// share: kcat in and out, durable progress of both sinks, end offsets.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { stringify } from 'yaml';
import { feedGroupIds } from '../../dist/config/consumer-groups.js';
import { createKafka, useRecordDecoder, withAdmin } from '../../dist/clients/kafka.js';
import { createMysqlPool, withMysql } from '../../dist/clients/mysql.js';
import { migrateUp } from '../../dist/control/migrate.js';
import { applyReconcile } from '../../dist/reconciler/reconcile.js';
import { consumerSettings, fetchLimits } from '../../dist/runtime/consumer/settings.js';
import { recordSeq, statePaths } from '../../dist/runtime/lake/paths.js';
import { memoryPlan } from '../../dist/runtime/memory.js';

const RUN = Math.random().toString(16).slice(2, 8);

/** Aborted on Ctrl-C: every wait of the bench rejects, so `withScenario` still cleans up. */
export const interrupted = new AbortController();
process.once('SIGINT', () => interrupted.abort(new Error('interrupted (SIGINT)')));

/** setTimeout as a promise that rejects on Ctrl-C. */
export function sleep(ms) {
  const signal = interrupted.signal;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => (clearTimeout(t), reject(signal.reason));
    const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The bench feed: one stream feed with id (key), customer, amount decimal(12,2), an event-time timestamp and, when
 * a fifth name is given, a bigint; the field names are given so a scenario can shrink messages. Lake flush
 * settings are the manifest defaults.
 */
function manifest(s, names, destinations) {
  const [id, customer, amount, at, count] = names;
  const bigint = count === undefined ? '' : `\n      - {name: ${count}, type: bigint}`;
  return `apiVersion: feedctl/v1
kind: Feed
metadata: {name: ${s.feed}}
spec:
  type: stream
  topic: {name: ${s.topic}, partitions: ${s.partitions}}
  schema:
    fields:
      - {name: ${id}, type: string, maxLength: 24}
      - {name: ${customer}, type: string, maxLength: 16}
      - {name: ${amount}, type: decimal, precision: 12, scale: 2}
      - {name: ${at}, type: timestamp}${bigint}
    key: [${id}]
    eventTime: ${at}
  destinations:
    lake: {enabled: ${destinations.includes('lake')}}
    warehouse: {enabled: ${destinations.includes('warehouse')}, table: ${s.table}}
`;
}

/**
 * The worker child's config file: the scenario's database and lake, everything else as the bench's own config;
 * BENCH_THREADS sets `runtime.threads` (e.g. 0: everything on the main thread), BENCH_MEMORY_BUDGET_MB
 * `runtime.memoryBudgetMb`.
 */
function writeConfigFile(s) {
  const { kafka, mysql } = s.config;
  const { root, s3 } = s.config.lake;
  const doc = {
    kafka: {
      brokers: kafka.brokers,
      clientId: kafka.clientId,
      groupPrefix: kafka.groupPrefix,
      sessionTimeoutMs: kafka.sessionTimeoutMs,
    },
    mysql: { url: mysql.url, database: mysql.database },
    lake: s3
      ? { root, s3: { endpoint: s3.endpoint, region: s3.region, pathStyle: String(s3.forcePathStyle) } }
      : { root },
    // The bench's event times are in 2025: retention (90 days) would delete them while the worker writes them.
    retention: { intervalSeconds: 0 },
    runtime: {
      ...(process.env.BENCH_THREADS ? { threads: process.env.BENCH_THREADS } : {}),
      ...(process.env.BENCH_MEMORY_BUDGET_MB ? { memoryBudgetMb: process.env.BENCH_MEMORY_BUDGET_MB } : {}),
    },
  };
  writeFileSync(s.configFile, stringify(doc), { mode: 0o600 }); // the URL may hold the password
}

/**
 * Runs `fn(scenario)` on a fresh scenario and removes it afterwards. `fields`: the four field names;
 * `destinations`: the feed's enabled destinations ('lake', 'warehouse'); `yaml(s)`, when given, writes the
 * feed's manifest instead (same feed, topic and table names); `partitions`: the topic's (default 3); `lake`: a
 * lake config (`{ root, s3 }`, e.g. an `s3://` one) instead of the scenario's own folder — its caller empties it.
 */
export async function withScenario(base, { name, fields, destinations, yaml, partitions = 3, lake }, fn) {
  const dir = mkdtempSync(path.join(tmpdir(), `feedctl-bench-rt-${name}-`));
  const database = `bench_rt_${RUN}_${name}`;
  const s = {
    name,
    feed: `bench_rt_${name}`,
    table: `fact_bench_rt_${name}`,
    topic: `bench.rt.${RUN}.${name}`,
    partitions,
    dir,
    configFile: path.join(dir, 'feedctl.config.yaml'),
    config: { ...base, mysql: { ...base.mysql, database }, lake: lake ?? { root: path.join(dir, 'lake') } },
  };
  s.pool = createMysqlPool(s.config, 2);
  try {
    await withMysql(s.config, (c) => c.query(`CREATE DATABASE \`${database}\``), { withDatabase: false });
    await migrateUp(s.config);
    mkdirSync(path.join(dir, 'feeds'));
    if (!s.config.lake.s3) mkdirSync(s.config.lake.root);
    const doc = yaml ? yaml(s) : manifest(s, fields, destinations);
    writeFileSync(path.join(dir, 'feeds', `${s.feed}.yaml`), doc);
    await reconcile(s);
    writeConfigFile(s);
    return await fn(s);
  } finally {
    await s.pool.end().catch(() => undefined);
    await cleanup(s, database);
  }
}

async function reconcile(s) {
  const req = {
    paths: [path.join(s.dir, 'feeds')],
    options: { allowDestructive: false, prune: false },
    lockTimeoutSeconds: 30,
    actor: 'bench',
  };
  const out = await applyReconcile(
    s.config,
    req,
    undefined,
    () => {},
    () => {},
  );
  const bad = [
    ...out.diagnostics.filter((d) => d.severity === 'error'),
    ...out.results.filter((r) => r.error),
  ];
  if (bad.length > 0 || out.results.length === 0) {
    throw new Error(`bench: reconcile ${s.feed} failed: ${JSON.stringify(bad[0] ?? 'no changes applied')}`);
  }
}

async function cleanup(s, database) {
  const problems = [];
  await withMysql(s.config, (c) => c.query(`DROP DATABASE IF EXISTS \`${database}\``), {
    withDatabase: false,
  }).catch((err) => problems.push(`drop database ${database}: ${err.message}`));
  await withAdmin(s.config, async (a) => {
    // groups first: once its topic is gone, Kafka may drop an empty group itself, racing our delete
    const groups = new Set([...feedGroupIds(s.config, s.feed), rawGroup(s)]);
    const ours = (await a.listGroups()).groups.map((g) => g.groupId).filter((g) => groups.has(g));
    if (ours.length > 0) await a.deleteGroups(ours).catch(unlessGone);
    const mine = (await a.listTopics()).filter((t) => t.startsWith(s.topic));
    if (mine.length > 0) await a.deleteTopics({ topics: mine, timeout: 120_000 });
  }).catch((err) => problems.push(`delete topics ${s.topic}* and groups: ${err.message}`));
  rmSync(s.dir, { recursive: true, force: true });
  for (const p of problems) console.error(`bench cleanup: ${p}`);
}

/** Writes `n` messages as `key<TAB>json` lines (`line(i)` gives both) and produces them with kcat; returns ms. */
export async function produceWithKcat(s, n, line) {
  const file = path.join(s.dir, 'messages.tsv');
  const out = createWriteStream(file);
  for (let i = 0; i < n;) {
    const chunk = [];
    for (const end = Math.min(n, i + 10_000); i < end; i++) chunk.push(line(i));
    if (!out.write(chunk.join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const t0 = performance.now();
  execFileSync('kcat', ['-b', brokers(s), '-P', '-t', s.topic, '-K', '\t', '-l', file, '-X', 'linger.ms=50']);
  const ms = performance.now() - t0;
  rmSync(file);
  return ms;
}

/** Wall time of kcat reading the whole topic raw from the beginning (offsets only, counted); checks the count. */
export async function consumeWithKcat(s, expected) {
  const t0 = performance.now();
  const args = ['-b', brokers(s), '-C', '-t', s.topic, '-o', 'beginning', '-e', '-q', '-f', '%o\n'];
  const child = spawn('kcat', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let lines = 0;
  child.stdout.on('data', (b) => {
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
  });
  const [code] = await once(child, 'close');
  const ms = performance.now() - t0;
  if (code !== 0 || lines !== expected) throw new Error(`kcat read ${lines} of ${expected} (exit ${code})`);
  return ms;
}

/** Rethrows a kafkajs DeleteGroups error unless every failed group was already gone. */
function unlessGone(err) {
  const failed = (err.groups ?? []).filter((g) => g.error && g.error.type !== 'GROUP_ID_NOT_FOUND');
  if (failed.length > 0 || !err.groups) throw err;
}

const rawGroup = (s) => `bench-raw-${RUN}-${s.name}`;

/** Now, in wall and CPU milliseconds of this process. */
const mark = () => {
  const { user, system } = process.cpuUsage();
  return { ms: performance.now(), cpuMs: (user + system) / 1000 };
};

/**
 * The kafkajs settings of a lake consumer of the default worker (the only consumer of its process), or kafkajs's
 * own defaults (`kafkajs`: 10 MiB a fetch, 1 MiB a partition, no wait for data).
 */
function rawSettings(s, settings) {
  if (settings === 'kafkajs') return { groupId: `${rawGroup(s)}-defaults` };
  const budget = Number(process.env.BENCH_MEMORY_BUDGET_MB ?? s.config.runtime.memoryBudgetMb);
  const plan = memoryPlan(budget, null);
  const fetch = fetchLimits(plan.fetchWindowBytes, 1, s.partitions);
  return consumerSettings(s.config, rawGroup(s), fetch, true);
}

/**
 * Wall time of kafkajs reading the whole topic and doing nothing with it: a consumer with the worker's settings
 * (`settings`: 'worker', see rawSettings; 4 partitions concurrently), in a fresh group: `ms` from connect to the
 * last message, `steadyMs` from 10 % to 90 % of the messages read (the span feedctl's steady rate is measured on),
 * `steadyCores` the CPU this process used meanwhile (it does nothing else). `decoder`: kafkajs' own record batch
 * decoder (stock kafkajs: the ceiling any consumer built on kafkajs as it ships can reach on this machine) or the
 * one feedctl puts in its place (clients/kafka-records.ts).
 */
export async function consumeWithKafkajs(s, expected, settings = 'worker', decoder = 'kafkajs') {
  useRecordDecoder(decoder);
  try {
    return await consumeOnce(s, expected, settings);
  } finally {
    useRecordDecoder('feedctl');
  }
}

async function consumeOnce(s, expected, settings) {
  const kafka = createKafka(s.config, { clientId: 'feedctl-bench-raw' });
  const consumer = kafka.consumer(rawSettings(s, settings));
  let seen = 0;
  const marks = { t10: null, t90: null };
  let resolveAll;
  const all = new Promise((r) => (resolveAll = r));
  const t0 = performance.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [s.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (marks.t10 === null && seen >= 0.1 * expected) marks.t10 = mark();
        if (marks.t90 === null && seen >= 0.9 * expected) marks.t90 = mark();
        if (seen >= expected) resolveAll(performance.now());
      },
    });
    let timer;
    const timeout = new Promise((r) => (timer = setTimeout(r, 600_000, null)));
    const t1 = await Promise.race([all, timeout]);
    clearTimeout(timer);
    if (t1 === null || seen !== expected) throw new Error(`kafkajs read ${seen} of ${expected}`);
    const { t10, t90 } = marks;
    const steadyMs = t90.ms - t10.ms;
    return { ms: t1 - t0, steadyMs, steadyCores: (t90.cpuMs - t10.cpuMs) / steadyMs };
  } finally {
    await consumer.disconnect();
  }
}

const brokers = (s) => s.config.kafka.brokers.join(',');

/** High watermark per partition (index = partition). */
export async function endOffsets(s) {
  const offsets = await withAdmin(s.config, (a) => a.fetchTopicOffsets(s.topic));
  const out = new Array(s.partitions).fill(0);
  for (const o of offsets) out[o.partition] = Number(o.high);
  return out;
}

/**
 * Next offset per partition in the lake's commit records (0 where none yet): the highest numbered record of the
 * partition's commits folder (a legacy single record file while there is none); a record pruned between the
 * listing and the read is skipped for the next lower one (records are only pruned below the newest).
 */
export function lakeDurable(s) {
  const out = new Array(s.partitions).fill(0);
  for (let p = 0; p < s.partitions; p++) {
    const { commits, legacy } = statePaths(s.feed, s.topic, p);
    const dir = path.join(s.config.lake.root, commits);
    const records = unlessMissing(() => readdirSync(dir), [])
      .filter((f) => recordSeq(f) !== null)
      .sort()
      .reverse()
      .map((f) => path.join(dir, f));
    for (const file of [...records, path.join(s.config.lake.root, legacy)]) {
      const record = unlessMissing(() => JSON.parse(readFileSync(file, 'utf8')), null);
      if (record === null) continue;
      out[p] = record.nextOffset ?? 0;
      break;
    }
  }
  return out;
}

/** `read()`, or `fallback` when the file or folder is gone. */
function unlessMissing(read, fallback) {
  try {
    return read();
  } catch (err) {
    if (err.code === 'ENOENT') return fallback;
    throw err;
  }
}

/** Next offset per partition in feedctl_offsets for the warehouse (0 where none yet). */
export async function warehouseDurable(s) {
  const [rows] = await s.pool.query(
    "SELECT partition_id, next_offset FROM feedctl_offsets WHERE feed_name = ? AND destination = 'warehouse'",
    [s.feed],
  );
  const out = new Array(s.partitions).fill(0);
  for (const r of rows) out[Number(r.partition_id)] = Number(r.next_offset);
  return out;
}

/**
 * Rows and distinct (partition, offset) pairs in the feed's lake, read by DuckDB (an independent reader), and the
 * largest value of `maxColumn` when one is named.
 */
export async function lakeRows(s, maxColumn = null) {
  const glob = `${s.config.lake.root}/streams/${s.feed}/**/*.parquet`.replaceAll("'", "''");
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const r = await c.runAndReadAll(
      `SELECT count(*)::BIGINT AS n, count(DISTINCT (_kafka_partition, _kafka_offset))::BIGINT AS d
       FROM read_parquet('${glob}')`,
    );
    const [n, d] = r.getRows()[0];
    const counts = { rows: Number(n), distinct: Number(d) };
    return maxColumn === null ? counts : { ...counts, max: await maxOf(c, glob, maxColumn) };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** The largest value of a column of the lake's files, as DuckDB reads it (a BigInt for BIGINT columns). */
async function maxOf(c, glob, column) {
  const r = await c.runAndReadAll(`SELECT max("${column}") FROM read_parquet('${glob}')`);
  return r.getRows()[0][0];
}

/** Rows in the feed's warehouse table. */
export async function warehouseRows(s) {
  const [r] = await s.pool.query(`SELECT COUNT(*) AS n FROM \`${s.table}\``);
  return Number(r[0].n);
}

export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
