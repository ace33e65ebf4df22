// Benchmark (not a test): publishing a snapshot of a table feed against the stream path for the same rows, in the
// same run, on the local stack, the worker a child process (bench/lib/worker-child.mjs), each feed in its own
// database, topic (3 partitions) and lake folder, reconciled from a manifest and removed at the end.
//   - stream path (the baseline): a stream feed with the same fields (event time: the Kafka timestamp), both
//     destinations; N rows pre-produced with kcat; a worker timed from its spawn until both sinks hold all N
//     durably (the lake's commit records and the warehouse's feedctl_offsets cover the log end);
//   - snapshot path: a table feed, the same N rows pre-produced as version 1 (header snapshot_version=1), then one
//     end marker per partition with snapshot_rows; a worker timed from its spawn until version 1 is `published`
//     in both destinations (feedctl_snapshots).
// Goal (the issue): snapshot ≤ 1.3 × stream. Both are checked afterwards: DuckDB reads the stream's lake (N rows,
// N distinct offsets) and tables/<feed>/version=1/*.parquet (N rows, N distinct keys); the stream's warehouse
// table and the table feed's `<table>_latest` view hold N rows. Run: npm run bench -- snapshot (builds first).
// The figure is the ratio of the mean times, over runs in ABBA order by default (a drift of the machine's load
// during the bench weighs on both paths alike; single runs on a busy machine differed by ±15 s at 1 M).
// Needs kcat. Env: BENCH_SNAPSHOT_N (default 1000000), BENCH_SNAPSHOT_ORDER (stream,snapshot,snapshot,stream),
// BENCH_WORKER_FLAGS (node flags for the worker, e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
import { loadConfig } from '../dist/config/config.js';
import { fmt } from './lib/runtime-report.mjs';
import {
  endOffsets,
  lakeDurable,
  lakeRows,
  sum,
  warehouseDurable,
  warehouseRows,
  withScenario,
} from './lib/runtime-scenario.mjs';
import {
  ledgerTimes,
  lakeVersionRows,
  latestViewRows,
  produceMarkers,
  produceRows,
  snapshotStates,
  streamYaml,
  tableYaml,
} from './lib/snapshot-scenario.mjs';
import { WORKER_FLAGS, withWorker } from './lib/worker-child.mjs';

const N = Number(process.env.BENCH_SNAPSHOT_N ?? 1_000_000);
const ORDER = (process.env.BENCH_SNAPSHOT_ORDER ?? 'stream,snapshot,snapshot,stream').split(',');
const GOAL = 1.3;
const VERSION = 1;
const TIMEOUT_MS = 300_000 + N;

const covers = (durable, ends) => durable.every((o, p) => o >= ends[p]);
const s1 = (ms) => fmt(ms / 1000, 1);

function expect(what, got, want) {
  if (JSON.stringify(got) !== JSON.stringify(want))
    throw new Error(`bench: ${what} is ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
}

/**
 * Runs a worker on both destinations until `sinks()` (whether each sink is done so far) says both are done;
 * returns the ms to done, when each sink got done and when both destinations had handled all N
 * rows (feedctl_messages_total, not yet durable), the warehouse's row transactions (count, mean ms), the worker's
 * CPU seconds, wall seconds and peak RSS.
 */
async function timeWorker(s, sinks) {
  const handled = (w, d) => w.counter('feedctl_messages_total', `destination="${d}"`);
  return withWorker(s, 'all', async (w) => {
    const at = {};
    const probe = async () => {
      if (at.read === undefined && (await handled(w, 'lake')) >= N && (await handled(w, 'warehouse')) >= N)
        at.read = w.now();
      for (const [k, ok] of Object.entries(await sinks())) if (ok && at[k] === undefined) at[k] = w.now();
      return at.lake !== undefined && at.warehouse !== undefined;
    };
    const doneMs = await w.until('both sinks to be done', probe, TIMEOUT_MS, 100);
    const wh = 'destination="warehouse"';
    const txs = await w.counter('feedctl_sink_commit_seconds_count', wh);
    const txMs = (1000 * (await w.counter('feedctl_sink_commit_seconds_sum', wh))) / txs;
    return { doneMs, at, txs, txMs, ...(await w.stop()) };
  });
}

/** The stream path: N rows into a stream feed, until both sinks hold them durably. */
async function streamPath(base, name) {
  const options = { name, yaml: streamYaml };
  return withScenario(base, options, async (s) => {
    const produceMs = await produceRows(s, N);
    const ends = await endOffsets(s);
    expect('the topic’s message count', sum(ends), N);
    const run = await timeWorker(s, async () => ({
      lake: covers(lakeDurable(s), ends),
      warehouse: covers(await warehouseDurable(s), ends),
    }));
    const lake = await lakeRows(s);
    expect('the lake (rows, distinct offsets)', lake, { rows: N, distinct: N });
    expect('the warehouse’s rows', await warehouseRows(s), N);
    return { ...run, produceMs };
  });
}

/** The snapshot path: N rows as version 1 of a table feed plus the end markers, until published in both sinks. */
async function snapshotPath(base, name) {
  const options = { name, yaml: tableYaml };
  return withScenario(base, options, async (s) => {
    const produceMs = await produceRows(s, N, VERSION);
    produceMarkers(s, N, VERSION);
    expect('the topic’s message count', sum(await endOffsets(s)), N + s.partitions);
    const run = await timeWorker(s, async () => {
      const states = await snapshotStates(s, VERSION);
      return { lake: states.lake === 'published', warehouse: states.warehouse === 'published' };
    });
    expect(`lake version=${VERSION} (rows, distinct skus)`, await lakeVersionRows(s, VERSION), {
      rows: N,
      distinct: N,
    });
    expect(`${s.table}_latest (rows, distinct skus)`, await latestViewRows(s), { rows: N, distinct: N });
    return { ...run, produceMs, ledger: await ledgerTimes(s, VERSION) };
  });
}

const mean = (runs) => runs.reduce((t, r) => t + r.doneMs, 0) / runs.length;

function print(runs) {
  const row = (label, r) =>
    console.log(
      `   ${label.padEnd(16)}${s1(r.doneMs).padStart(8)}${s1(r.at.read).padStart(8)}${s1(r.at.lake).padStart(8)}` +
        `${s1(r.at.warehouse).padStart(8)}${fmt(r.cpuS / r.wallS, 2).padStart(8)}${fmt(r.peakMb).padStart(8)}` +
        `${fmt(r.txs).padStart(7)}${fmt(r.txMs).padStart(7)}${s1(r.produceMs).padStart(10)}`,
    );
  console.log(
    `\nsnapshot publish vs stream path: ${fmt(N)} rows of ≈75 bytes, 3 partitions, both destinations`,
  );
  console.log(
    `   ${'run'.padEnd(16)}${'done s'.padStart(8)}${'read s'.padStart(8)}${'lake s'.padStart(8)}${'wh s'.padStart(8)}` +
      `${'cores'.padStart(8)}${'peak MB'.padStart(8)}${'wh tx'.padStart(7)}${'ms/tx'.padStart(7)}` +
      `${'kcat P s'.padStart(10)}`,
  );
  runs.forEach((r, k) => row(`${k + 1}. ${r.which}`, r));
  const ledger = (l) => `opened → last seal ${s1(l?.sealing)} s, → published ${fmt(l?.publishing)} ms`;
  runs.forEach((r, k) => {
    if (r.ledger)
      console.log(
        `   ${k + 1}. ledger: lake ${ledger(r.ledger.lake)}; warehouse ${ledger(r.ledger.warehouse)}`,
      );
  });
  const stream = mean(runs.filter((r) => r.which === 'stream'));
  const snapshot = mean(runs.filter((r) => r.which === 'snapshot'));
  const ratio = snapshot / stream;
  console.log(
    `\n   N ${fmt(N)} · stream ${s1(stream)} s · snapshot ${s1(snapshot)} s · ratio ` +
      `${fmt(ratio, 2)}× · goal ≤ ${GOAL}× · ${ratio <= GOAL ? 'PASS' : 'MISS'}` +
      `   (means over ${runs.length} runs in the order ${ORDER.join(',')})`,
  );
  console.log(
    '   (done: both sinks durable (stream) / v1 published in both (snapshot); read: all N handled by both' +
      ' destinations; lake, wh: each sink done; all from the worker’s spawn; cores: its CPU time over its wall' +
      ' time; wh tx, ms/tx: the warehouse’s row transactions and their mean time; kcat P: producing the rows, not timed' +
      (WORKER_FLAGS.length > 0 ? `; worker flags: ${WORKER_FLAGS.join(' ')})` : ')'),
  );
}

async function main() {
  const started = performance.now();
  const base = loadConfig().config;
  const runs = [];
  for (const [k, which] of ORDER.entries()) {
    const name = `snap_${which}${k + 1}`;
    const r = which === 'stream' ? await streamPath(base, name) : await snapshotPath(base, name);
    runs.push({ which, ...r });
    console.log(`   ${k + 1}. ${which} path: ${s1(r.doneMs)} s (verified)`);
  }
  print(runs);
  console.log(`\n(snapshot bench: ${Math.round((performance.now() - started) / 1000)} s in all)`);
}

if (
  !ORDER.includes('stream') ||
  !ORDER.includes('snapshot') ||
  ORDER.some((w) => !['stream', 'snapshot'].includes(w))
)
  throw new Error(`bench: BENCH_SNAPSHOT_ORDER must list stream and snapshot runs, not ${ORDER.join(',')}`);
await main();
