// Benchmark (not a test): decoding throughput, in messages per second, against `JSON.parse` of the same messages
// (the baseline: no consumer can decode faster than it parses). Two feeds: one without decimal/bigint fields
// (native JSON.parse path) and one with them, sent as JSON numbers (read again by lossless-json, where numbers keep
// their text) or as strings (exact already: the native parse is kept). Pure CPU, no
// broker. Run: npm run bench -- decode (builds first). BENCH_MESSAGES overrides the message count (200000).
import { parse as losslessParse } from 'lossless-json';
import { createDecoder, isFailure } from '../dist/runtime/decode/decoder.js';
import { fastRowReader } from '../dist/runtime/decode/fast-row.js';

const COUNT = Number(process.env.BENCH_MESSAGES ?? 200_000);
const ROUNDS = 5;

const f = (name, type, nullable = false) => ({ name, property: name, type, nullable, description: null });
const BASE_FIELDS = [
  f('event_id', { kind: 'string', maxLength: 64 }),
  f('customer_id', { kind: 'string', maxLength: 64 }),
  f('event', { kind: 'string', maxLength: 32 }),
  f('quantity', { kind: 'int' }, true),
  f('score', { kind: 'double' }, true),
  f('active', { kind: 'boolean' }),
  f('day', { kind: 'date' }),
  f('occurred_at', { kind: 'timestamp' }),
];
const EXACT_FIELDS = [
  ...BASE_FIELDS,
  f('amount', { kind: 'decimal', precision: 15, scale: 2 }, true),
  f('account', { kind: 'bigint' }),
];

function spec(name, fields) {
  return {
    name,
    manifestPath: `feeds/${name}.yaml`,
    metadata: { owner: null, description: null, labels: {} },
    type: 'stream',
    enabled: true,
    topic: { name, partitions: 1, replicationFactor: null, configs: {}, adopt: false },
    schema: { fields, key: ['event_id'], eventTime: { source: 'field', field: 'occurred_at' } },
    destinations: {
      lake: {
        enabled: true,
        compression: 'snappy',
        flush: { maxRows: 1e5, maxBytes: 1 << 26, idleSeconds: 5 },
      },
      warehouse: { enabled: false, table: null, adopt: false },
    },
    retention: { days: 90, versions: null, autoDelete: true },
    access: { roles: [] },
    deadLetter: { enabled: true, topic: `${name}-dlq` },
  };
}

/** A representative message: seed-style event, some nullable fields absent, one unknown extra property. */
function body(i, exact, quoted = false) {
  const at = new Date(Date.UTC(2025, 0, 1) + i * 1_337).toISOString();
  const o = {
    event_id: `evt-${i.toString(36).padStart(8, '0')}`,
    customer_id: `C${(i * 7919) % 100_000}`,
    event: ['login', 'purchase', 'logout', 'view'][i % 4],
    ...(i % 5 === 0 ? {} : { quantity: i % 17 }),
    score: (i % 1000) / 7,
    active: i % 2 === 0,
    day: at.slice(0, 10),
    occurred_at: i % 3 === 0 ? Date.parse(at) : at,
    source: 'web',
  };
  const text = JSON.stringify(o);
  if (!exact) return text;
  const q = quoted ? '"' : '';
  return `${text.slice(0, -1)},"amount":${q}${(i % 100_000) / 100}${q},"account":${q}${9_000_000_000_000_000 + i}${q}}`;
}

function messages(exact, quoted = false) {
  return Array.from({ length: COUNT }, (_, i) => ({
    partition: 0,
    offset: i,
    timestampMs: 0,
    key: null,
    value: Buffer.from(body(i, exact, quoted)),
    headers: {},
  }));
}

/** Messages/s of one run of `fn` over every message. */
function run(msgs, fn) {
  globalThis.gc?.();
  const t = process.hrtime.bigint();
  for (const m of msgs) fn(m);
  return msgs.length / (Number(process.hrtime.bigint() - t) / 1e9);
}

/** The lake lanes' fast path (decode/fast-row.ts), which reads a message's bytes without JSON.parse. */
function fastFn(s) {
  const read = fastRowReader(s);
  return (m) => {
    const text = (start, end) => m.value.toString('latin1', start, end);
    if (read(m.value, 0, m.value.length, text, 0) === null) throw new Error('fast path gave up');
  };
}

function decoderFn(s) {
  const d = createDecoder(s, 1);
  return (m) => {
    if (isFailure(d.decode(m))) throw new Error('benchmark message refused');
  };
}

const plain = messages(false);
const exact = messages(true);
const quoted = messages(true, true);
const cases = [
  { feed: 'no decimals (JSON.parse path)', step: 'JSON.parse alone (baseline)', msgs: plain, baseline: true },
  { feed: 'no decimals (JSON.parse path)', step: 'decoder.decode', msgs: plain, fields: BASE_FIELDS },
  {
    feed: 'no decimals (JSON.parse path)',
    step: 'lake fast path',
    msgs: plain,
    fields: BASE_FIELDS,
    fast: true,
  },
  { feed: 'decimal + bigint (lossless)', step: 'JSON.parse alone (baseline)', msgs: exact, baseline: true },
  { feed: 'decimal + bigint (lossless)', step: 'lossless-json parse alone', msgs: exact, lossless: true },
  { feed: 'decimal + bigint (lossless)', step: 'decoder.decode', msgs: exact, fields: EXACT_FIELDS },
  {
    feed: 'decimal + bigint (lossless)',
    step: 'lake fast path',
    msgs: exact,
    fields: EXACT_FIELDS,
    fast: true,
  },
  { feed: 'decimal + bigint as strings', step: 'JSON.parse alone (baseline)', msgs: quoted, baseline: true },
  { feed: 'decimal + bigint as strings', step: 'decoder.decode', msgs: quoted, fields: EXACT_FIELDS },
  {
    feed: 'decimal + bigint as strings',
    step: 'lake fast path',
    msgs: quoted,
    fields: EXACT_FIELDS,
    fast: true,
  },
];
for (const c of cases) {
  if (c.baseline) c.fn = (m) => JSON.parse(m.value.toString('utf8'));
  else if (c.lossless) c.fn = (m) => losslessParse(m.value.toString('utf8'), null, (t) => t);
  else c.fn = (c.fast ? fastFn : decoderFn)(spec('bench', c.fields));
  c.rate = 0;
}
// Rounds interleave the cases so that warm-up, GC and machine noise hit them alike; the best round counts.
for (let r = 0; r <= ROUNDS; r++) {
  for (const c of cases) {
    const rate = run(c.msgs, c.fn);
    if (r > 0) c.rate = Math.max(c.rate, rate);
  }
}

console.log(`\ndecode benchmark: ${COUNT} messages, best of ${ROUNDS} rounds, Node ${process.version}\n`);
console.log('feed                           step                           msgs/s   vs JSON.parse');
for (const c of cases) {
  const base = cases.find((b) => b.baseline && b.msgs === c.msgs);
  const ratio = `${(c.rate / base.rate).toFixed(2)}x`;
  console.log(
    `${c.feed.padEnd(29)}  ${c.step.padEnd(28)}  ${Math.round(c.rate).toString().padStart(9)}   ${ratio.padStart(6)}`,
  );
}
