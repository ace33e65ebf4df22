// Benchmark (not a test): the lake on S3-compatible storage and several worker processes, on the local stack. The
// local S3Proxy (127.0.0.1:9311, shared with the test suite) is brought up — or found running — by the product's
// `startS3Proxy`, with the bucket `feedctl-bench`; every scenario has its own database, topic, temp folder and
// bucket prefix (bench/lib/runtime-scenario.mjs, bench/lib/s3-lake.mjs), all removed afterwards; the S3Proxy is
// left running, as `feedctl stack up` leaves it. Workers are `feedctl run` child processes with the defaults.
//   A. lake ingest to S3Proxy vs to a local folder: the same BENCH_S3_N messages of ≈105 bytes (3 partitions),
//      pre-produced with kcat, into a lake-only worker; its steady rate between 10 % and 90 % of the messages
//      consumed (as the runtime bench), ratio s3 / folder (best of BENCH_S3_ROUNDS each, run folder, S3, S3,
//      folder), and spawn → every offset in a commit record. N must be well above 3 × flush.maxRows (100,000):
//      below it no flush, so no S3 write, falls inside the 10–90 % window;
//   B. scale-out: 1, 2 and 3 workers (BENCH_SCALE_WORKERS) on one 6-partition topic, lake on S3Proxy only
//      (BENCH_SCALE_DESTINATIONS=all adds the warehouse, which then sets the pace; BENCH_SCALE_LAKE=fs puts the
//      lake in a folder). The workers start on the empty topic and join the consumer
//      groups (a cold start with a backlog measures the rebalance instead: the first worker takes every partition,
//      then hands over what it has not flushed, which the others consume again); then kcat produces BENCH_SCALE_N
//      messages and the clock runs from its start until every sink's durable offsets cover them; msgs/s and the
//      ratio to 1 worker. On a 2-core machine more workers cannot add cores: the goal is that throughput does not
//      fall (2 and 3 workers ≥ 0.9× of 1).
// Exactness, every scenario: a folder lake is read by DuckDB; an S3 lake's data objects are downloaded to a temp
// folder and read by DuckDB (rows = N, N distinct (partition, offset)); the warehouse table holds N rows.
// Run: npm run bench -- scaleout (builds first). Needs kcat. Env: BENCH_S3_N (1000000), BENCH_SCALE_N (3000000:
// with fewer, the last buffers' 5 s idle flush is much of the time and the comparison is noise),
// BENCH_S3_ROUNDS (2), BENCH_SCALE_WORKERS (1,2,3), BENCH_SCALE_DESTINATIONS (lake), BENCH_SCALE_LAKE (s3; fs: a
// folder), BENCH_SCENARIOS (s3,scale), BENCH_S3_ENDPOINT.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../dist/config/config.js';
import { crossing, fmt, rate, valueAt } from './lib/runtime-report.mjs';
import { printLake, printScale } from './lib/scaleout-report.mjs';
import { WIDE, groupsFormed, kcatFile, sweep, wide, writeMessages } from './lib/scaleout-scenario.mjs';
import {
  endOffsets,
  interrupted,
  lakeDurable,
  lakeRows,
  produceWithKcat,
  sum,
  warehouseDurable,
  warehouseRows,
  withScenario,
} from './lib/runtime-scenario.mjs';
import {
  BENCH_S3_BUCKET,
  BENCH_S3_ENDPOINT,
  benchS3Client,
  benchS3Lake,
  downloadStreams,
  emptyS3Lake,
  ensureBenchS3,
  s3LakeDurable,
} from './lib/s3-lake.mjs';
import { WorkerChild } from './lib/worker-child.mjs';

const S3_N = Number(process.env.BENCH_S3_N ?? 1_000_000);
const S3_ROUNDS = Number(process.env.BENCH_S3_ROUNDS ?? 2);
const SCALE_N = Number(process.env.BENCH_SCALE_N ?? 3_000_000);
const SCALE_WORKERS = (process.env.BENCH_SCALE_WORKERS ?? '1,2,3').split(',').map(Number);
const SCALE_SINKS = process.env.BENCH_SCALE_DESTINATIONS === 'all' ? ['lake', 'warehouse'] : ['lake'];
const SCALE_LAKE = process.env.BENCH_SCALE_LAKE === 'fs' ? 'fs' : 's3';
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 's3,scale').split(',');
const RUN = Math.random().toString(16).slice(2, 8);

const covers = (durable, ends) => durable.every((o, p) => o >= ends[p]);

/**
 * Runs `fn(s, lake)` on a scenario whose lake is its own folder (`backend` 'fs') or a fresh prefix of the bench
 * bucket ('s3', emptied afterwards). `lake.durable()`: next offset per partition in the commit records;
 * `lake.exact(n)`: checks DuckDB reads n rows, n distinct (partition, offset), from the lake; says how it read it.
 */
async function withLake(base, opts, backend, fn) {
  const config = backend === 's3' ? benchS3Lake(`${RUN}/${opts.name}`) : undefined;
  let scenario;
  try {
    return await withScenario(base, { ...opts, lake: config }, async (s) => {
      scenario = s;
      if (!config)
        return fn(s, { durable: async () => lakeDurable(s), exact: (n) => exactly(s, n, 'folder read') });
      const client = benchS3Client(config);
      try {
        return await fn(s, s3Lake(s, client));
      } finally {
        client.destroy();
        await emptyS3Lake(config).catch((err) =>
          console.error(`bench cleanup: ${config.root}: ${err.message}`),
        );
      }
    });
  } catch (err) {
    if (scenario) await sweep(scenario).catch((e) => console.error(`bench cleanup: ${e.message}`));
    throw err;
  }
}

/** An S3 scenario's lake: durable offsets from its commit records, exactness on a downloaded copy. */
function s3Lake(s, client) {
  const cache = new Map();
  const exact = async (n) => {
    const copy = path.join(s.dir, 'lake-copy');
    mkdirSync(copy);
    const got = await downloadStreams(s, client, copy);
    const how = `${got.files} objects (${fmt(got.bytes / 2 ** 20, 1)} MB) downloaded to a temp folder`;
    return exactly({ ...s, config: { ...s.config, lake: { root: copy } } }, n, how);
  };
  return { durable: () => s3LakeDurable(s, client, cache), exact };
}

async function exactly(s, n, how) {
  const lake = await lakeRows(s);
  if (lake.rows !== n || lake.distinct !== n)
    throw new Error(`bench: lake holds ${JSON.stringify(lake)}, not ${n}`);
  return `${how}, DuckDB read ${fmt(lake.rows)} rows, ${fmt(lake.distinct)} distinct (partition, offset)`;
}

async function producedAll(s, n) {
  const ends = await endOffsets(s);
  if (sum(ends) !== n) throw new Error(`bench: topic holds ${sum(ends)} messages, not ${n}`);
  return ends;
}

/**
 * Runs `fn(workers)` with `k` worker children started one right after the other; all are killed if `fn` throws
 * (or on Ctrl-C) before stopping them.
 */
async function withWorkers(s, k, destinations, fn) {
  const ws = [];
  const kill = () => ws.forEach((w) => w.kill());
  interrupted.signal.addEventListener('abort', kill, { once: true });
  try {
    for (let i = 0; i < k; i++) ws.push(await WorkerChild.start(s, destinations));
    return await fn(ws);
  } finally {
    interrupted.signal.removeEventListener('abort', kill);
    for (const w of ws) await w.stopSampling?.().catch(() => undefined);
    kill();
  }
}

/** Messages the workers consumed for `sink`, summed over them. */
const consumed = async (ws, sink) =>
  sum(await Promise.all(ws.map((w) => w.counter('feedctl_messages_total', `destination="${sink}"`))));

/** CPU cores the workers used in all between two times (ms since the first spawn): 1.0 is one busy thread. */
function coresOf(ws, from, to) {
  const cpu = (w, t) => valueAt(w.samples, 'cpuS', t - (w.t0 - ws[0].t0));
  return sum(ws.map((w) => cpu(w, to) - cpu(w, from))) / ((to - from) / 1000);
}

/**
 * `k` workers ingest `n` messages into `sinks`. Given `ends`, the messages are in the topic already and the clock
 * starts at the (first) spawn; given `file`, the workers start on the empty topic, and once every one is in the
 * consumer groups kcat produces the file and the clock starts with it. Until every sink's durable offsets cover
 * the topic; also the steady rate (10–90 % consumed by the slower sink), CPU and each worker's share.
 */
async function ingest(s, lake, { k, n, sinks, ends, file }) {
  return withWorkers(s, k, sinks.length === 2 ? 'all' : sinks[0], async (ws) => {
    const [w0] = ws;
    const what = 'every worker in the consumer groups';
    const formedMs = file ? await w0.until(what, () => groupsFormed(s, sinks, k), 120_000, 500) : null;
    w0.sampleEvery(250, async () => {
      const by = await Promise.all(sinks.map((sink) => consumed(ws, sink)));
      return { consumed: Math.min(...by) };
    });
    for (const w of ws.slice(1)) w.sampleEvery(250);
    const startMs = file ? w0.now() : 0;
    const produced = file ? produceInBackground(s, file, n) : { ends };
    const done = async () => {
      const dead = ws.find((w) => w.exit !== null);
      if (dead) throw dead.failure('exited while ingesting');
      if (produced.err) throw produced.err;
      if (!produced.ends || !covers(await lake.durable(), produced.ends)) return false;
      return !sinks.includes('warehouse') || covers(await warehouseDurable(s), produced.ends);
    };
    const doneMs = await w0.until('every sink to cover every message', done, 180_000 + n, 250);
    return { formedMs, produceRate: produced.produceRate, ...(await figures(ws, n, startMs, doneMs)) };
  });
}

/** Starts kcat on the file; the object it returns gets `ends` and `produceRate` when it is done, or `err`. */
function produceInBackground(s, file, n) {
  const produced = {};
  kcatFile(s, file)
    .then(async (ms) => Object.assign(produced, { ends: await producedAll(s, n), produceRate: rate(n, ms) }))
    .catch((err) => (produced.err = err));
  return produced;
}

/** The workers' figures once every sink covers the messages; stops them (SIGTERM: each must exit 0). */
async function figures(ws, n, startMs, doneMs) {
  const lakeSum = (name) => Promise.all(ws.map((w) => w.counter(name, 'destination="lake"')));
  const shares = await lakeSum('feedctl_messages_total');
  const flushes = sum(await lakeSum('feedctl_sink_commit_seconds_count'));
  const flushMs = (1000 * sum(await lakeSum('feedctl_sink_commit_seconds_sum'))) / flushes;
  const stops = await Promise.all(ws.map((w) => w.stop()));
  const samples = ws[0].samples;
  const [t10, t90] = [0.1, 0.9].map((x) => crossing(samples, 'consumed', x * n));
  return {
    ms: doneMs - startMs,
    rate: rate(n, doneMs - startMs),
    steadyRate: rate(0.8 * n, t90 - t10),
    cores: coresOf(ws, startMs, doneMs),
    peakMb: Math.max(...stops.map((x) => x.peakMb ?? 0)),
    shares: shares.map((x) => x / n),
    flushes,
    flushMs,
  };
}

/** A. One lake-only worker, S3_N messages, into `backend` ('fs' or 's3'); `round` keeps names apart. */
async function lakeIngest(base, backend, round) {
  const opts = { name: `s3bench_${backend}${round}`, fields: WIDE, destinations: ['lake'] };
  return withLake(base, opts, backend, async (s, lake) => {
    const produceRate = rate(S3_N, await produceWithKcat(s, S3_N, wide));
    const run = await ingest(s, lake, { k: 1, n: S3_N, sinks: ['lake'], ends: await producedAll(s, S3_N) });
    return { backend, n: S3_N, ...run, produceRate, exact: await lake.exact(S3_N) };
  });
}

/** B. `k` workers, SCALE_N messages on 6 partitions, lake on S3 (or a folder), with BENCH_SCALE_DESTINATIONS=all + warehouse. */
async function scaleRound(base, k) {
  const opts = { name: `scale_${k}w`, fields: WIDE, destinations: SCALE_SINKS, partitions: 6 };
  return withLake(base, opts, SCALE_LAKE, async (s, lake) => {
    const file = await writeMessages(s, SCALE_N);
    const run = await ingest(s, lake, { k, n: SCALE_N, sinks: SCALE_SINKS, file });
    const exact = [await lake.exact(SCALE_N)];
    if (SCALE_SINKS.includes('warehouse')) {
      const rows = await warehouseRows(s);
      if (rows !== SCALE_N) throw new Error(`bench: the warehouse holds ${rows} rows, not ${SCALE_N}`);
      exact.push(`warehouse table ${fmt(rows)} rows`);
    }
    return { k, ...run, exact: exact.join('; ') };
  });
}

/** A, BENCH_S3_ROUNDS times, in the order folder, S3, S3, folder, … so that drift on a shared machine evens out. */
async function lakeRounds(base) {
  const runs = { fs: [], s3: [] };
  for (let r = 0; r < S3_ROUNDS; r++)
    for (const backend of r % 2 === 0 ? ['fs', 's3'] : ['s3', 'fs'])
      runs[backend].push(await lakeIngest(base, backend, r));
  return runs;
}

async function main() {
  const started = performance.now();
  const base = loadConfig().config;
  const s3 = await ensureBenchS3(base);
  console.log(
    `S3Proxy ${BENCH_S3_ENDPOINT} ${s3.state}${s3.pid ? ` (pid ${s3.pid})` : ''}, bucket ${BENCH_S3_BUCKET} ${s3.bucket};` +
      ` prefixes ${BENCH_S3_BUCKET}/${RUN}/…; load average ${loadavg()
        .map((x) => fmt(x, 2))
        .join(' ')}`,
  );
  if (SCENARIOS.includes('s3')) printLake(await lakeRounds(base), BENCH_S3_ENDPOINT);
  if (SCENARIOS.includes('scale')) {
    const rounds = [];
    for (const k of SCALE_WORKERS) {
      rounds.push(await scaleRound(base, k));
      console.log(`   (B: ${k} worker(s) done in ${fmt(rounds.at(-1).ms / 1000, 1)} s)`);
    }
    printScale(rounds, SCALE_N, SCALE_SINKS, SCALE_LAKE);
  }
  console.log(`\n(scaleout bench: ${Math.round((performance.now() - started) / 1000)} s in all)`);
}

await main();
