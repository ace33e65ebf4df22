// Benchmark (not a test): the `feedctl run` runtime on the local stack, end to end, with the worker as a child
// process (its own RSS and CPU time), each scenario in its own database, topic (3 partitions) and lake folder,
// reconciled from a manifest with applyReconcile and removed at the end. Figures, against baselines measured in
// the same run:
//   A. lake ingest, twice: messages of ≈105 bytes (strings, a decimal as a string, a timestamp), then ≈130 bytes
//      (the same and a bigint sent as a JSON number past 2^53, checked exact in the lake with DuckDB):
//      N messages pre-produced with kcat, then a lake-only worker; its steady rate between 10 % and
//      90 % of the messages consumed (no start-up, no idle flush) vs kafkajs as it ships reading the same topic
//      with the worker's consumer settings and doing nothing, over the same 10–90 % span (best of 2), the ceiling
//      of any consumer built on kafkajs (goal ≥ 0.6×); the same read with kafkajs's fetch defaults, and with
//      feedctl's record decoder in kafkajs (clients/kafka-records.ts); also kcat reading it raw (best of 2), the time
//      from the worker's spawn until the lake's commit records cover all N, and the CPU each thread of the worker
//      used while steady;
//   B. produce-to-MySQL latency at a steady rate (default 20,000 msg/s for 30 s) into a warehouse-only worker
//      already running and caught up: from each message's send to the poll (every 25 ms) that sees
//      feedctl_offsets, written in the same transaction as the rows, cover it (goal p99 ≤ 500 ms); then 10 s at
//      each rate of BENCH_LATENCY_SWEEP (30k, 40k, 60k, 80k msg/s) until p99 passes 1 s or the producer falls
//      behind: the highest steady rate with p99 under 1 s;
//   C. peak RSS (VmHWM) of a worker ingesting N small messages into both sinks, and RSS by progress (goal
//      ≤ 300 MB, flat).
// Every scenario checks the sinks hold exactly the messages sent (DuckDB reads the lake). Run: npm run bench --
// runtime (builds first). Needs kcat. Env: BENCH_LAKE_N (default 1000000), BENCH_RSS_N (5000000),
// BENCH_RSS_DESTINATIONS (all; `all,lake` also measures a lake-only worker), BENCH_LATENCY_RATE (20000),
// BENCH_LATENCY_SECONDS (30), BENCH_SCENARIOS (lake,latency,rss), BENCH_WORKER_FLAGS (node flags for the worker),
// BENCH_THREADS (the worker's runtime.threads; default: its config's auto).
import { createProducer } from '../dist/clients/kafka.js';
import { loadConfig } from '../dist/config/config.js';
import { latencies, percentile, pollWarehouse, produceSteadily } from './lib/latency.mjs';
import {
  coresBetween,
  crossing,
  printLake,
  printLatency,
  printRss,
  printSummary,
  rate,
  rssByProgress,
  threadsBetween,
} from './lib/runtime-report.mjs';
import {
  consumeWithKafkajs,
  consumeWithKcat,
  endOffsets,
  lakeDurable,
  lakeRows,
  produceWithKcat,
  sum,
  warehouseDurable,
  warehouseRows,
  withScenario,
} from './lib/runtime-scenario.mjs';
import { WORKER_FLAGS, withWorker } from './lib/worker-child.mjs';

const LAKE_N = Number(process.env.BENCH_LAKE_N ?? 1_000_000);
const RSS_N = Number(process.env.BENCH_RSS_N ?? 5_000_000);
const RSS_DESTINATIONS = (process.env.BENCH_RSS_DESTINATIONS ?? 'all').split(',');
const RATE = Number(process.env.BENCH_LATENCY_RATE ?? 20_000);
const SWEEP = (process.env.BENCH_LATENCY_SWEEP ?? '30000,40000,60000,80000').split(',').map(Number);
const SWEEP_SECONDS = Number(process.env.BENCH_LATENCY_SWEEP_SECONDS ?? 10);
const SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 30);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'lake,latency,rss').split(',');

const T0 = Date.UTC(2025, 2, 1);
const WIDE = ['order_id', 'customer', 'amount', 'occurred_at'];
/** The wide fields and a bigint sent as a JSON number beyond 2^53 (exact only when read from its digits). */
const EXACT = [...WIDE, 'units'];
const UNITS0 = 2n ** 53n + 1n;
const SMALL = ['i', 'c', 'a', 't'];
const pad = (n, w) => String(n).padStart(w, '0');
const amount = (i) => {
  const cents = (i * 7919) % 100_000_000;
  return `${Math.floor(cents / 100)}.${pad(cents % 100, 2)}`;
};
/** ≈105-byte message i; event times 10 ms apart from T0, so N ≤ 8.64 M stays within one UTC day. */
const wide = (i) => ({
  key: `o${i}`,
  value:
    `{"order_id":"o${pad(i, 7)}","customer":"c-${pad(i % 50_000, 5)}","amount":"${amount(i)}",` +
    `"occurred_at":"${new Date(T0 + i * 10).toISOString()}"}`,
});
/** ≈130-byte message i: the wide message and `units`, a JSON number past 2^53. */
const exact = (i) => {
  const m = wide(i);
  return { key: m.key, value: `${m.value.slice(0, -1)},"units":${UNITS0 + BigInt(i)}}` };
};
/** The two lake ingest scenarios: message shape, fields, and what the lake's largest `units` must be. */
const LAKE_SHAPES = [
  {
    name: 'lake',
    fields: WIDE,
    message: wide,
    label: '≈105 bytes: strings, a decimal as a string, a timestamp',
    short: '≈105 B',
  },
  {
    name: 'lake_exact',
    fields: EXACT,
    message: exact,
    label: '≈130 bytes: the same and a bigint sent as a JSON number past 2^53',
    short: '≈130 B, bigint number',
    units: (n) => UNITS0 + BigInt(n) - 1n,
  },
];
/** ≈60-byte message i as a kcat line (short field names, epoch-millisecond event time). */
const small = (i) => `${i}\t{"i":"${i}","c":"c${i % 10_000}","a":"${amount(i)}","t":${T0 + i * 10}}\n`;
const covers = (durable, ends) => durable.every((o, p) => o >= ends[p]);

async function expectLake(s, n, units = null) {
  const lake = await lakeRows(s, units === null ? null : 'units');
  if (lake.rows !== n || lake.distinct !== n)
    throw new Error(`bench: lake holds ${lake.rows} rows (${lake.distinct} distinct offsets), not ${n}`);
  if (units !== null && lake.max !== units)
    throw new Error(`bench: lake's largest units ${lake.max}, not ${units}`);
}

async function producedAll(s, n) {
  const ends = await endOffsets(s);
  if (sum(ends) !== n) throw new Error(`bench: topic holds ${sum(ends)} messages, not ${n}`);
  return ends;
}

/** A. Lake ingest of messages of one shape vs kcat (and kafkajs) reading the same topic raw. */
async function lakeIngest(base, shape) {
  const { name, fields, message } = shape;
  return withScenario(base, { name, fields, destinations: ['lake'] }, async (s) => {
    const produceMs = await produceWithKcat(s, LAKE_N, (i) => {
      const m = message(i);
      return `${m.key}\t${m.value}\n`;
    });
    const ends = await producedAll(s, LAKE_N);
    const kcatMs = Math.min(await consumeWithKcat(s, LAKE_N), await consumeWithKcat(s, LAKE_N));
    const kafkajs = [await consumeWithKafkajs(s, LAKE_N), await consumeWithKafkajs(s, LAKE_N)];
    const defaults = await consumeWithKafkajs(s, LAKE_N, 'kafkajs');
    const ours = await consumeWithKafkajs(s, LAKE_N, 'worker', 'feedctl');
    const kafkajsMs = Math.min(...kafkajs.map((k) => k.ms));
    const kafkajsBest = kafkajs.reduce((a, b) => (b.steadyMs < a.steadyMs ? b : a));
    const run = await withWorker(s, 'lake', async (w) => {
      w.sampleEvery(500, async () => ({ consumed: await w.counter('feedctl_messages_total') }));
      const what = 'the lake commit records to cover every message';
      const doneMs = await w.until(what, async () => covers(lakeDurable(s), ends), 120_000 + LAKE_N / 2, 100);
      const flushes = await w.counter('feedctl_sink_commit_seconds_count');
      const flushMs = (1000 * (await w.counter('feedctl_sink_commit_seconds_sum'))) / flushes;
      return { doneMs, flushes, flushMs, ...(await w.stop()), samples: w.samples };
    });
    await expectLake(s, LAKE_N, shape.units?.(LAKE_N) ?? null);
    const t10 = crossing(run.samples, 'consumed', 0.1 * LAKE_N);
    const t90 = crossing(run.samples, 'consumed', 0.9 * LAKE_N);
    return {
      n: LAKE_N,
      label: shape.label,
      short: shape.short,
      produceRate: rate(LAKE_N, produceMs),
      kcatMs,
      kcatRate: rate(LAKE_N, kcatMs),
      kafkajsMs,
      kafkajsRate: rate(LAKE_N, kafkajsMs),
      kafkajsSteadyRate: rate(0.8 * LAKE_N, kafkajsBest.steadyMs),
      kafkajsSteadyCores: kafkajsBest.steadyCores,
      kafkajsDefaultsRate: rate(0.8 * LAKE_N, defaults.steadyMs),
      kafkajsDefaultsCores: defaults.steadyCores,
      kafkajsOursRate: rate(0.8 * LAKE_N, ours.steadyMs),
      kafkajsOursCores: ours.steadyCores,
      doneMs: run.doneMs,
      rate: rate(LAKE_N, run.doneMs),
      firstMs: crossing(run.samples, 'consumed', 1),
      lastConsumedMs: crossing(run.samples, 'consumed', LAKE_N),
      steadyRate: rate(0.8 * LAKE_N, t90 - t10),
      steadyCores: coresBetween(run.samples, t10, t90),
      steadyThreads: threadsBetween(run.samples, t10, t90),
      flushes: run.flushes,
      flushMs: run.flushMs,
      peakMb: run.peakMb,
    };
  });
}

/** Next offset per partition after the segments' messages. */
function segmentEnds(s, segments) {
  const ends = new Array(s.partitions).fill(0);
  for (const g of segments) ends[g.partition] = Math.max(ends[g.partition], g.first + g.count);
  return ends;
}

/**
 * B. Produce-to-MySQL latency at a steady `msgsPerSecond` for `seconds` into a warehouse-only worker, running and caught
 * up. Sends carry rate/100 messages (at least 100), so the producer sends 100 times a second at most.
 */
async function latency(base, msgsPerSecond, seconds) {
  return withScenario(base, { name: 'latency', fields: WIDE, destinations: ['warehouse'] }, async (s) => {
    const producer = createProducer(s.config, { idempotent: true });
    await producer.connect();
    const perSend = Math.max(100, Math.round(msgsPerSecond / 100));
    const send = (r, secs, firstId) =>
      produceSteadily(s, producer, { rate: r, seconds: secs, perSend, message: wide, firstId });
    const inMysql = async (segments) => covers(await warehouseDurable(s), segmentEnds(s, segments));
    try {
      return await withWorker(s, 'warehouse', async (w) => {
        w.sampleEvery(500);
        const warm = await send(1000, 1, 0);
        await w.until('the warm-up messages in MySQL', () => inMysql(warm.segments), 120_000, 100);
        const poller = pollWarehouse(s, 25);
        const from = w.now();
        const load = await send(msgsPerSecond, seconds, warm.sent);
        const to = w.now();
        await w.until('every message in MySQL', () => inMysql(load.segments), 120_000, 100);
        await new Promise((r) => setTimeout(r, 100)); // one more poll sees the last move
        await poller.stop();
        const { peakMb } = await w.stop();
        if ((await warehouseRows(s)) !== warm.sent + load.sent) {
          throw new Error(`bench: the warehouse does not hold the ${warm.sent + load.sent} messages sent`);
        }
        const sorted = latencies(load.segments, poller.moves);
        const q = (x) => percentile(sorted, x);
        return {
          rate: msgsPerSecond,
          seconds,
          sent: load.sent,
          actualRate: rate(load.sent, load.ms),
          late: load.late,
          ...{ p50: q(0.5), p90: q(0.9), p99: q(0.99), max: sorted.at(-1) },
          cores: coresBetween(w.samples, from, to),
          peakMb,
        };
      });
    } finally {
      await producer.disconnect();
    }
  });
}

/** C. Peak RSS of one worker ingesting RSS_N small messages into `destinations` ('all', 'lake' or 'warehouse'). */
async function peakRss(base, destinations) {
  const sinks = destinations === 'all' ? ['lake', 'warehouse'] : [destinations];
  return withScenario(
    base,
    { name: `rss_${destinations}`, fields: SMALL, destinations: sinks },
    async (s) => {
      await produceWithKcat(s, RSS_N, small);
      const ends = await producedAll(s, RSS_N);
      const durable = async () => ({
        lake: sinks.includes('lake') ? sum(lakeDurable(s)) : RSS_N,
        warehouse: sinks.includes('warehouse') ? sum(await warehouseDurable(s)) : RSS_N,
      });
      const run = await withWorker(s, destinations, async (w) => {
        w.sampleEvery(1000, async () => {
          const d = await durable();
          const heapMb = (await w.counter('feedctl_nodejs_heap_size_total_bytes')) / 2 ** 20;
          const externalMb = (await w.counter('feedctl_nodejs_external_memory_bytes')) / 2 ** 20;
          return { ...d, progress: Math.min(d.lake, d.warehouse) / RSS_N, heapMb, externalMb };
        });
        const done = async () => Object.values(await durable()).every((n) => n === sum(ends));
        const doneMs = await w.until('every sink to hold every message', done, 600_000 + RSS_N, 1000);
        return { doneMs, ...(await w.stop()), samples: w.samples };
      });
      if (sinks.includes('lake')) await expectLake(s, RSS_N);
      if (sinks.includes('warehouse') && (await warehouseRows(s)) !== RSS_N) {
        throw new Error(`bench: the warehouse holds ${await warehouseRows(s)} rows, not ${RSS_N}`);
      }
      const doneAt = (sink) => crossing(run.samples, sink, RSS_N) ?? run.doneMs;
      return {
        n: RSS_N,
        destinations,
        doneMs: run.doneMs,
        rates: Object.fromEntries(sinks.map((k) => [k, rate(RSS_N, doneAt(k))])),
        cores: run.cpuS / run.wallS,
        peakMb: run.peakMb,
        ...rssByProgress(run.samples),
        samples: run.samples,
      };
    },
  );
}

async function main() {
  const started = performance.now();
  const base = loadConfig().config;
  const results = {};
  if (SCENARIOS.includes('lake')) {
    results.lake = [];
    for (const shape of LAKE_SHAPES) {
      results.lake.push(await lakeIngest(base, shape));
      printLake(results.lake.at(-1));
    }
  }
  if (SCENARIOS.includes('latency')) {
    printLatency((results.latency = await latency(base, RATE, SECONDS)));
    results.sweep = [];
    for (const rate of SWEEP) {
      const r = await latency(base, rate, SWEEP_SECONDS);
      printLatency(r);
      results.sweep.push(r);
      if (r.p99 > 1000 || r.actualRate < 0.9 * rate) break;
    }
  }
  if (SCENARIOS.includes('rss')) {
    results.rss = [];
    for (const d of RSS_DESTINATIONS) {
      results.rss.push(await peakRss(base, d));
      printRss(results.rss.at(-1));
    }
  }
  printSummary(results, WORKER_FLAGS);
  console.log(`\n(runtime bench: ${Math.round((performance.now() - started) / 1000)} s in all)`);
}

await main();
