// Benchmark (not a test): the Parquet lake sink on N rows of a representative feed (string, int, bigint,
// decimal(15,2), timestamp, plus the lineage columns). Compares building the Arrow table from typed column buffers
// (ours) with apache-arrow's generic `vectorFromArray` (same schema) and `tableFromJSON` (inferred schema), then
// measures LakeSink append + flush end to end on the real filesystem (fsync included). Each phase runs in its own
// child process so its peak RSS is its own, and twice on the same records, keeping the faster run (the machine is
// shared; figures vary). Run: npm run bench -- lake (builds first). BENCH_ROWS overrides N.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeData, RecordBatch, Struct, Table, tableFromJSON, vectorFromArray } from 'apache-arrow';
import { KeyBatch } from '../dist/runtime/lake/batch.js';
import { unscaledDecimal, writeDecimal128 } from '../dist/runtime/lake/decimal.js';
import { loadParquet, parquetBytes } from '../dist/runtime/lake/parquet.js';
import { arrowSchema, arrowType, lakeColumns } from '../dist/runtime/lake/schema.js';
import { LakeSink } from '../dist/runtime/lake/sink.js';

await loadParquet();
const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DAY0 = Date.UTC(2024, 5, 1);
const FIELDS = [
  { name: 'id', property: 'id', type: { kind: 'string', maxLength: 64 }, nullable: false, description: null },
  { name: 'qty', property: 'qty', type: { kind: 'int' }, nullable: false, description: null },
  { name: 'big', property: 'big', type: { kind: 'bigint' }, nullable: false, description: null },
  {
    name: 'amount',
    property: 'amount',
    type: { kind: 'decimal', precision: 15, scale: 2 },
    nullable: true,
    description: null,
  },
  { name: 'at', property: 'at', type: { kind: 'timestamp' }, nullable: false, description: null },
];
const FEED = {
  name: 'bench_orders',
  type: 'stream',
  schema: { fields: FIELDS, key: ['id'], eventTime: { source: 'field', field: 'at' } },
  destinations: {
    lake: {
      enabled: true,
      compression: 'snappy',
      flush: { maxRows: 100_000, maxBytes: 64 << 20, idleSeconds: 5 },
    },
  },
};
const COLUMNS = lakeColumns(FIELDS);
const SCHEMA = arrowSchema(COLUMNS);

/**
 * N decoded records, their values parsed from JSON text as the decoder will (flat strings); `spreadMs` spreads
 * event times (0: all in one UTC day).
 */
function makeRecords(spreadMs) {
  const out = new Array(N);
  for (let i = 0; i < N; i++) {
    const at = DAY0 + Math.floor((i / N) * spreadMs) + (i % 1000);
    const amount =
      i % 50 === 0 ? null : `${i % 3 === 0 ? '-' : ''}${i % 100000}.${String(i % 100).padStart(2, '0')}`;
    const id = `order-${i}-${i % 7 === 0 ? 'é' : 'x'}`;
    const m = JSON.parse(
      JSON.stringify({ id, qty: i % 100000, big: String(2n ** 40n + BigInt(i)), amount, at }),
    );
    const values = [m.id, m.qty, BigInt(m.big), m.amount, m.at];
    out[i] = { partition: 0, offset: i, timestampMs: at + 5, eventTimeMs: at, values };
  }
  return out;
}

const ms = (t0) => performance.now() - t0;

function typedBuffers(records) {
  const t0 = performance.now();
  const batch = new KeyBatch(COLUMNS, 0);
  for (const r of records) batch.append(r, DAY0);
  const table = batch.toTable(SCHEMA);
  const buildMs = ms(t0);
  const t1 = performance.now();
  const bytes = parquetBytes(table, 'snappy', {});
  return { buildMs, encodeMs: ms(t1), fileBytes: bytes.length };
}

/** apache-arrow's generic builders, column by column, same schema; decimals pre-converted to words per value. */
function genericVectors(records) {
  const t0 = performance.now();
  const lineage = [(r) => r.partition, (r) => r.offset, (r) => r.timestampMs, () => DAY0];
  const getters = [...FIELDS.map((_, i) => (r) => r.values[i]), ...lineage];
  const children = COLUMNS.map((c, i) => {
    let values = records.map(getters[i]);
    if (c.type.kind === 'decimal128') values = values.map((v) => decimalWords(v, c.type));
    if (c.type.kind === 'int64') values = values.map((v) => BigInt(v));
    return vectorFromArray(values, arrowType(c.type)).data[0];
  });
  const struct = makeData({
    type: new Struct(SCHEMA.fields),
    length: records.length,
    nullCount: 0,
    children,
  });
  const table = new Table([new RecordBatch(SCHEMA, struct)]);
  const buildMs = ms(t0);
  const t1 = performance.now();
  const bytes = parquetBytes(table, 'snappy', {});
  return { buildMs, encodeMs: ms(t1), fileBytes: bytes.length };
}

function decimalWords(v, t) {
  if (v === null) return null;
  const words = new Uint32Array(4);
  writeDecimal128(words, new BigInt64Array(words.buffer), 0, unscaledDecimal(v, t.precision, t.scale));
  return words;
}

/** tableFromJSON over row objects (types inferred: strings become dictionaries, numbers Float64). */
function fromJson(records) {
  const t0 = performance.now();
  const rows = records.map((r) => {
    const o = { _kafka_partition: r.partition, _kafka_offset: r.offset, _kafka_timestamp: r.timestampMs };
    FIELDS.forEach((f, i) => (o[f.name] = r.values[i]));
    o._ingested_at = DAY0;
    return o;
  });
  const table = tableFromJSON(rows);
  const buildMs = ms(t0);
  const t1 = performance.now();
  const bytes = parquetBytes(table, 'snappy', {});
  return { buildMs, encodeMs: ms(t1), fileBytes: bytes.length };
}

/** LakeSink as the consumer drives it: Kafka-sized batches of 500, flush when due, over 3 event days. */
async function sinkEndToEnd(records) {
  const root = mkdtempSync(path.join(tmpdir(), 'feedctl-bench-lake-'));
  try {
    const sink = new LakeSink({ root, feed: FEED, generation: 1, specHash: 'bench', topic: 'bench.orders' });
    await sink.recover(0);
    const t0 = performance.now();
    let files = 0;
    for (let at = 0; at < records.length; at += 500) {
      sink.append(0, records.slice(at, at + 500));
      const end = Math.min(records.length, at + 500);
      if (sink.due(0, Date.now()) || end === records.length) files += (await sink.flush(0, end)).files.length;
    }
    return { totalMs: ms(t0), files };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const REPEAT = 2;
const oneDay = () => makeRecords(0);
/** phase → [records to generate (not timed), what to time]. */
const PHASES = {
  'generate only': [oneDay, async () => ({})],
  'typed buffers (ours)': [oneDay, async (r) => typedBuffers(r)],
  vectorFromArray: [oneDay, async (r) => genericVectors(r)],
  tableFromJSON: [oneDay, async (r) => fromJson(r)],
  'LakeSink append+flush': [() => makeRecords(3 * 86_400_000), sinkEndToEnd],
};

/** Runs a phase twice on the same records (the second with a warm JIT) and keeps the faster figures. */
async function child(phase) {
  const [records, run] = PHASES[phase];
  const data = records();
  let best = {};
  for (let i = 0; i < REPEAT; i++) {
    globalThis.gc?.();
    const r = await run(data);
    for (const [k, v] of Object.entries(r)) best[k] = k.endsWith('Ms') ? Math.min(best[k] ?? v, v) : v;
  }
  const result = best;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ phase, rssMb, ...result }));
}

function runPhase(phase) {
  const file = new URL(import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['--expose-gc', file, phase], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${phase} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

function report(results) {
  const ours = results.find((r) => r.phase === 'typed buffers (ours)');
  const f = (n, w = 9) => (n === undefined ? '' : n.toFixed(0)).padStart(w);
  console.log(`\nlake sink benchmark, N = ${N.toLocaleString('en')} rows (5 fields + 4 lineage columns)\n`);
  console.log(
    'phase                     build ms  encode ms   total ms  build vs ours   rows/s   file MB  peak RSS MB',
  );
  for (const r of results) {
    const total = r.totalMs ?? (r.buildMs === undefined ? undefined : r.buildMs + r.encodeMs);
    const ratio = r.buildMs === undefined ? '' : `${(r.buildMs / ours.buildMs).toFixed(1)}x`;
    const rate = total === undefined ? '' : Math.round(N / (total / 1000)).toLocaleString('en');
    const mb = r.fileBytes === undefined ? '' : (r.fileBytes / 1e6).toFixed(1);
    console.log(
      `${r.phase.padEnd(24)}${f(r.buildMs, 10)}${f(r.encodeMs, 11)}${f(total, 11)}${ratio.padStart(15)}` +
        `${rate.padStart(11)}${mb.padStart(10)}${r.rssMb.toFixed(0).padStart(13)}`,
    );
  }
  const sink = results.find((r) => r.phase === 'LakeSink append+flush');
  console.log(
    `\nLakeSink wrote ${sink.files} files (flush every 100,000 rows, 3 event days, snappy, fsync on).`,
  );
}

const phase = process.argv[2];
if (phase) await child(phase);
else report(Object.keys(PHASES).map(runPhase));
