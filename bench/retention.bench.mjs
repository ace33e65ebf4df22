// Benchmark (not a test): `feedctl retention` deleting expired warehouse rows while a worker writes the same table,
// on the local stack, the worker a child process (bench/lib/worker-child.mjs), in its own database and topic
// (3 partitions), reconciled from a manifest and removed at the end. The feed: a warehouse-only stream feed with
// `retention: {days: 30}`; N expired rows (default 1,000,000) seeded with SQL over the days 100..40 days ago.
// Then a worker (no scheduled retention) takes a steady load (default 2,000 msg/s, event times now) — first a
// baseline without deletion (default 10 s), then `feedctl retention <feed> -o json` as a child process, the load
// going on until it ends. A poll every 25 ms of feedctl_offsets (written in the warehouse's row transactions)
// gives the consumer's commits; figures per phase (baseline, deletion):
//   - longest pause: the longest interval between two polls that saw the warehouse move, counting only those
//     that began with messages sent and not yet in MySQL;
//   - produce → MySQL latency (p50, p99, max) of the messages sent in the phase;
// and the deletion's wall time, rows (its JSON report, its audit rows), batches (audit after_state), plus the
// worker's `Lock wait timeout` and `sink unavailable, retrying` lines. Checked: no expired row left, every message
// sent in MySQL exactly once, every seeded row deleted per the audit, 0 lock wait timeouts.
// Run: npm run bench -- retention (builds first). Env:
// BENCH_RETENTION_ROWS (1000000), BENCH_RETENTION_RATE (2000), BENCH_RETENTION_BASELINE_SECONDS (10),
// BENCH_RETENTION_BATCH_ROWS (5000), BENCH_RETENTION_PAUSE_MS (50) — the last two are retention.batchRows and
// retention.pauseMs of the run.
import { createProducer } from '../dist/clients/kafka.js';
import { loadConfig } from '../dist/config/config.js';
import { latencies, percentile, pollWarehouse, produceSteadily } from './lib/latency.mjs';
import {
  auditOf,
  configureRetention,
  countLogLines,
  KEEP_DAYS,
  producedRows,
  retentionYaml,
  rowsBefore,
  runRetentionCli,
  seedExpired,
} from './lib/retention-scenario.mjs';
import { fmt } from './lib/runtime-report.mjs';
import { sleep, warehouseDurable, warehouseRows, withScenario } from './lib/runtime-scenario.mjs';
import { WORKER_FLAGS, withWorker } from './lib/worker-child.mjs';

const N = Number(process.env.BENCH_RETENTION_ROWS ?? 1_000_000);
const RATE = Number(process.env.BENCH_RETENTION_RATE ?? 2000);
const BASELINE_S = Number(process.env.BENCH_RETENTION_BASELINE_SECONDS ?? 10);
const BATCH_ROWS = Number(process.env.BENCH_RETENTION_BATCH_ROWS ?? 5000);
const PAUSE_MS = Number(process.env.BENCH_RETENTION_PAUSE_MS ?? 50);
const PER_SEND = 100;
const LOG = { lockWait: /Lock wait timeout/i, retrying: /sink unavailable, retrying/ };

const pad = (n, w) => String(n).padStart(w, '0');
/** Message i: event time now (sent when built). */
const message = (i) => ({
  key: `o${i}`,
  value:
    `{"order_id":"o${pad(i, 9)}","customer":"c-${pad(i % 50_000, 5)}","amount":"${(i % 100_000) / 100}",` +
    `"occurred_at":"${new Date().toISOString()}"}`,
});
const s1 = (ms) => fmt(ms / 1000, 1);
/** The first day kept: today − (KEEP_DAYS − 1) days, UTC. */
const cutoffDay = () => new Date(Date.now() - (KEEP_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);

function expect(what, got, want) {
  if (JSON.stringify(got) !== JSON.stringify(want))
    throw new Error(`bench: ${what} is ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
}

/** Sends at RATE in 1-second rounds until `stop()`; `segments` and `sent` grow as it goes. */
function steadyLoad(s, producer, firstId) {
  const out = { segments: [], sent: 0, late: 0, running: true };
  const loop = async () => {
    while (out.running) {
      const r = await produceSteadily(s, producer, {
        rate: RATE,
        seconds: 1,
        perSend: PER_SEND,
        message,
        firstId: firstId + out.sent,
      });
      out.segments.push(...r.segments);
      out.sent += r.sent;
      out.late += r.late;
    }
  };
  const done = loop();
  out.stop = async () => {
    out.running = false;
    await done;
  };
  return out;
}

/**
 * The longest pause of the warehouse's commits within [from, to): the longest interval between consecutive polls
 * that saw progress (any partition), among those that began with a message sent and not yet durable.
 */
function longestPause(segments, moves, from, to) {
  const times = [...new Set(moves.map((m) => m.t))].sort((a, b) => a - b);
  const sends = segments.map((g) => ({ t: g.t, n: g.count })).sort((a, b) => a.t - b.t);
  let durable = 0; // beyond the poller's first answer (the warm-up, durable before the load)
  let sent = 0;
  let k = 0;
  let longest = 0;
  for (let i = 0; i + 1 < times.length; i++) {
    const [a, b] = [times[i], times[i + 1]];
    for (const m of moves) if (m.t === a) durable += m.to - m.from;
    while (k < sends.length && sends[k].t <= a) sent += sends[k++].n;
    if (b <= from || a >= to || sent <= durable) continue;
    longest = Math.max(longest, Math.min(b, to) - Math.max(a, from));
  }
  return longest;
}

/** Latency figures of the messages sent within [from, to). */
function phase(load, moves, from, to) {
  const segments = load.segments.filter((g) => g.t >= from && g.t < to);
  const sorted = latencies(segments, moves);
  const q = (x) => percentile(sorted, x);
  return {
    seconds: (to - from) / 1000,
    sent: sorted.length,
    p50: q(0.5),
    p99: q(0.99),
    max: sorted.at(-1),
    pause: longestPause(load.segments, moves, from, to),
  };
}

async function scenario(base) {
  return withScenario(base, { name: 'retention', yaml: retentionYaml }, async (s) => {
    const seedMs = await seedExpired(s, N);
    expect('the expired rows seeded', await warehouseRows(s), N);
    configureRetention(s, { intervalSeconds: 0, batchRows: BATCH_ROWS, pauseMs: PAUSE_MS });
    const producer = createProducer(s.config, { idempotent: true });
    await producer.connect();
    try {
      return await withWorker(s, 'warehouse', async (w) => {
        const log = countLogLines(w, LOG);
        const covered = async (segments) => {
          const durable = await warehouseDurable(s);
          return segments.every((g) => durable[g.partition] >= g.first + g.count);
        };
        const warm = await produceSteadily(s, producer, {
          rate: 1000,
          seconds: 1,
          perSend: PER_SEND,
          message,
          firstId: 0,
        });
        await w.until('the warm-up messages in MySQL', () => covered(warm.segments), 120_000, 100);
        const poller = pollWarehouse(s, 25);
        const t0 = performance.now();
        const load = steadyLoad(s, producer, warm.sent);
        await sleep(BASELINE_S * 1000);
        const t1 = performance.now();
        const retention = await runRetentionCli(s);
        const t2 = performance.now();
        await load.stop();
        await w.until('every message in MySQL', () => covered(load.segments), 120_000, 100);
        await sleep(100); // one more poll sees the last move
        await poller.stop();
        await w.stop();
        if (retention.code !== 0 || retention.report === null) {
          throw new Error(`bench: feedctl retention exited ${retention.code}\n${retention.stderr}`);
        }
        const total = warm.sent + load.sent;
        const wh = await producedRows(s);
        return {
          seedMs,
          retention,
          audit: await auditOf(s, retention.report.runId),
          left: await rowsBefore(s, cutoffDay()),
          total,
          wh,
          late: load.late,
          log,
          retryingDuring: log.times.retrying.filter((t) => t >= t1 && t < t2).length,
          lockWaitDuring: log.times.lockWait.filter((t) => t >= t1 && t < t2).length,
          baseline: phase(load, poller.moves, t0, t1),
          deletion: phase(load, poller.moves, t1, t2),
        };
      });
    } finally {
      await producer.disconnect();
    }
  });
}

function print(r) {
  const f = r.retention.report.feeds[0];
  const planned = f.items.reduce((n, i) => n + i.rows, 0);
  console.log(
    `\nretention while a consumer writes: ${fmt(N)} expired rows over ${f.items.length} days` +
      ` (seeded in ${s1(r.seedMs)} s), batchRows ${fmt(BATCH_ROWS)}, pauseMs ${PAUSE_MS};` +
      ` load ${fmt(RATE)} msg/s into a warehouse-only worker`,
  );
  console.log(
    `   deletion: ${s1(r.retention.ms)} s wall (feedctl retention, spawn to exit) · ${fmt(planned)} rows in its` +
      ` report · audit: ${r.audit.entries} rows (${r.audit.applied} applied), Σ rows ${fmt(r.audit.rows)},` +
      ` Σ batches ${fmt(r.audit.batches)} → ${fmt(r.audit.rows / (r.retention.ms / 1000))} rows/s`,
  );
  console.log(
    `   ${'phase'.padEnd(22)}${'s'.padStart(6)}${'msgs'.padStart(9)}${'longest pause ms'.padStart(18)}` +
      `${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'max ms'.padStart(8)}`,
  );
  for (const [label, p] of [
    ['baseline (no delete)', r.baseline],
    ['during the deletion', r.deletion],
  ])
    console.log(
      `   ${label.padEnd(22)}${s1(p.seconds * 1000).padStart(6)}${fmt(p.sent).padStart(9)}` +
        `${fmt(p.pause).padStart(18)}${fmt(p.p50).padStart(8)}${fmt(p.p99).padStart(8)}${fmt(p.max).padStart(8)}`,
    );
  console.log(
    `   worker log: ${r.log.lockWait} "Lock wait timeout" lines (${r.lockWaitDuring} during the deletion),` +
      ` ${r.log.retrying} "sink unavailable, retrying" lines (${r.retryingDuring} during the deletion)` +
      ` · ${r.late} sends started over one interval late`,
  );
  for (const line of r.log.examples) console.log(`     e.g. ${line}`);
  console.log(
    `   checked: expired rows left ${fmt(r.left)} · messages sent ${fmt(r.total)}, in MySQL ${fmt(r.wh.rows)}` +
      ` (distinct offsets ${fmt(r.wh.distinct)}, keys ${fmt(r.wh.keys)})` +
      (WORKER_FLAGS.length > 0 ? ` · worker flags: ${WORKER_FLAGS.join(' ')}` : ''),
  );
}

function verify(r) {
  const f = r.retention.report.feeds[0];
  expect('the feed’s retention error', f.error, null);
  expect('the rows in the retention report', r.retention.report.totals.rows, N);
  expect('Σ rows of the audit', r.audit.rows, N);
  expect('audit rows applied', r.audit.applied, r.audit.entries);
  expect('days deleted', f.deleted, f.items.length);
  expect('expired rows left', r.left, 0);
  expect('the sent messages in MySQL (rows, distinct offsets, keys)', r.wh, {
    rows: r.total,
    distinct: r.total,
    keys: r.total,
  });
  expect('lock wait timeouts in the worker log', r.log.lockWait, 0);
  if (r.audit.batches < Math.ceil(N / BATCH_ROWS))
    throw new Error(`bench: ${r.audit.batches} batches audited, fewer than ${Math.ceil(N / BATCH_ROWS)}`);
}

const started = performance.now();
const result = await scenario(loadConfig().config);
print(result);
verify(result);
console.log(
  `   verified.\n\n(retention bench: ${Math.round((performance.now() - started) / 1000)} s in all)`,
);
