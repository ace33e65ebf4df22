// Figures of the runtime bench from the worker's samples (pure), and the printed tables: one block per scenario
// as it finishes, then the summary against the goals.

export const fmt = (x, digits = 0) =>
  typeof x !== 'number' || !Number.isFinite(x)
    ? '?'
    : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const rate = (n, ms) => (n * 1000) / ms;
const s1 = (ms) => fmt(ms / 1000, 1);

/** When `key` of the samples (increasing) first reached `value`, interpolated between samples (ms), or undefined. */
export function crossing(samples, key, value) {
  for (let i = 0; i < samples.length; i++) {
    const b = samples[i];
    if (b[key] < value) continue;
    const a = samples[i - 1];
    if (!a || b[key] === a[key]) return b.t;
    return a.t + ((value - a[key]) * (b.t - a.t)) / (b[key] - a[key]);
  }
  return undefined;
}

/** `key` of the samples at time `t` (ms), interpolated between the samples around it. */
export function valueAt(samples, key, t) {
  const i = samples.findIndex((x) => x.t >= t);
  if (i <= 0) return samples[Math.max(0, i)]?.[key];
  const a = samples[i - 1];
  const b = samples[i];
  return a[key] + ((t - a.t) * (b[key] - a[key])) / (b.t - a.t);
}

/** CPU cores the worker used on average between two times (ms): 1.0 is one busy thread. */
export const coresBetween = (samples, from, to) =>
  (valueAt(samples, 'cpuS', to) - valueAt(samples, 'cpuS', from)) / ((to - from) / 1000);

/**
 * The busiest threads between two times (ms): `[{ thread, cores }]`, most first, those above 0.05 cores — where
 * the CPU went (the main JavaScript thread is the one named after the process; lane threads run JavaScript too).
 */
export function threadsBetween(samples, from, to) {
  const at = (t) => samples.find((x) => x.t >= t) ?? samples.at(-1);
  const a = at(from);
  const b = at(to);
  const seconds = (b.t - a.t) / 1000;
  return Object.entries(b.threads ?? {})
    .map(([thread, cpu]) => ({ thread, cores: (cpu - (a.threads?.[thread] ?? 0)) / seconds }))
    .filter((x) => x.cores > 0.05)
    .sort((x, y) => y.cores - x.cores);
}

/**
 * RSS (MB) of the first sample at or past each progress percentage, and whether it stayed flat: the peak over
 * 50–100 % of the progress is within 15 % of the peak over 10–50 % (null when there are too few samples).
 */
export function rssByProgress(samples) {
  const at = Object.fromEntries(
    [10, 25, 50, 75, 90, 100].map((pct) => [pct, samples.find((x) => x.progress >= pct / 100)?.rssMb]),
  );
  const peak = (lo, hi) =>
    Math.max(...samples.filter((x) => x.progress >= lo && x.progress <= hi).map((x) => x.rssMb));
  const firstHalf = peak(0.1, 0.5);
  const secondHalf = peak(0.5, 1);
  const known = Number.isFinite(firstHalf) && Number.isFinite(secondHalf);
  return { at, firstHalf, secondHalf, flat: known ? secondHalf <= 1.15 * firstHalf : null };
}

export function printLake(a) {
  const row = (label, ms, r) =>
    console.log(
      `   ${label.padEnd(48)}${(ms === null ? '' : s1(ms)).padStart(8)}${fmt(r).padStart(10)}` +
        `${fmt(r / a.kcatRate, 2).padStart(8)}×`,
    );
  console.log(
    `\nA. lake ingest: ${fmt(a.n)} messages of ${a.label}, 3 partitions (kcat produced them at ${fmt(a.produceRate)} msgs/s)`,
  );
  console.log(`   ${'reader'.padEnd(48)} seconds    msgs/s  vs kcat`);
  row('kcat raw read (baseline, best of 2)', a.kcatMs, a.kcatRate);
  row("kafkajs raw read (worker's settings, no-op)", a.kafkajsMs, a.kafkajsRate);
  row(`kafkajs: steady, 10–90 % read (${fmt(a.kafkajsSteadyCores, 2)} cores)`, null, a.kafkajsSteadyRate);
  row(
    `  same, kafkajs's fetch defaults (${fmt(a.kafkajsDefaultsCores, 2)} cores)`,
    null,
    a.kafkajsDefaultsRate,
  );
  row(`  same, feedctl's record decoder (${fmt(a.kafkajsOursCores, 2)} cores)`, null, a.kafkajsOursRate);
  row('feedctl: spawn → every offset in a commit record', a.doneMs, a.rate);
  row('feedctl: steady, 10–90 % of messages consumed', null, a.steadyRate);
  console.log(
    `   feedctl consumed its first message at ${s1(a.firstMs)} s and its last at ${s1(a.lastConsumedMs)} s` +
      ` (then the idle flush); ${a.flushes} lake flushes, ${fmt(a.flushMs)} ms each on average;` +
      ` ${fmt(a.steadyCores, 2)} CPU cores while steady; peak RSS ${fmt(a.peakMb)} MB`,
  );
  const threads = (a.steadyThreads ?? []).map((x) => `${x.thread} ${fmt(x.cores, 2)}`).join(', ');
  if (threads) console.log(`   cores per thread while steady: ${threads}`);
}

export function printLatency(b) {
  console.log(
    `\nB. produce → MySQL latency: ${fmt(b.rate)} msg/s for ${b.seconds} s into a warehouse-only worker, caught up` +
      ` (${fmt(b.sent)} messages sent at ${fmt(b.actualRate)} msg/s; ${b.late} sends started over one interval late)`,
  );
  console.log(
    `   p50 ${fmt(b.p50)} ms   p90 ${fmt(b.p90)} ms   p99 ${fmt(b.p99)} ms   max ${fmt(b.max)} ms` +
      `   (${fmt(b.cores, 2)} CPU cores during the load; peak RSS ${fmt(b.peakMb)} MB)`,
  );
}

export function printRss(c) {
  const rates = Object.entries(c.rates)
    .map(([k, r]) => `${k} ${fmt(r)} rows/s`)
    .join(', ');
  console.log(
    `\nC. memory: ${fmt(c.n)} messages of ≈60 bytes, --destinations ${c.destinations}, done in ${fmt(c.doneMs / 1000)} s` +
      ` (${rates}; ${fmt(c.cores, 2)} CPU cores on average)`,
  );
  const at = Object.entries(c.at).map(([p, mb]) => `${p}%: ${fmt(mb)}`);
  console.log(`   RSS MB by progress (the slower sink)   ${at.join('   ')}`);
  const peak = c.samples?.reduce((a, x) => (x.rssMb > (a?.rssMb ?? 0) ? x : a), null);
  if (peak?.heapMb !== undefined)
    console.log(
      `   at the RSS peak: main thread's V8 heap ${fmt(peak.heapMb)} MB, external (Buffers) ${fmt(peak.externalMb)} MB`,
    );
  console.log(
    `   VmHWM ${fmt(c.peakMb)} MB; peak RSS over 10–50 % ${fmt(c.firstHalf)} MB, over 50–100 % ${fmt(c.secondHalf)} MB` +
      ` → flat: ${flatText(c.flat)} (second half within 15 % of the first)`,
  );
}

const flatText = (flat) => (flat === null ? 'n/a (too few samples)' : flat ? 'yes' : 'no');
const met = (ok) => (ok ? 'met' : 'NOT met');

/** The summary table, one row per figure of the issue, with its goal. */
export function printSummary(results, workerFlags) {
  const rows = [];
  for (const a of results.lake ?? []) {
    const x = a.steadyRate / a.kafkajsSteadyRate;
    rows.push([
      `lake ingest, ${fmt(a.n)} msgs, ${a.short}`,
      `feedctl steady ${fmt(a.steadyRate)} msgs/s (spawn to last commit ${fmt(a.rate)})`,
      `kafkajs no-op steady ${fmt(a.kafkajsSteadyRate)} msgs/s (with feedctl's record decoder` +
        ` ${fmt(a.kafkajsOursRate)}; kcat ${fmt(a.kcatRate)})`,
      `${fmt(x, 2)}× of kafkajs (${fmt(a.steadyRate / a.kafkajsOursRate, 2)}× of kafkajs with feedctl's` +
        ` record decoder, ${fmt(a.steadyRate / a.kcatRate, 2)}× of kcat)`,
      `goal steady ≥ 0.6× of kafkajs: ${met(x >= 0.6)}`,
    ]);
  }
  const b = results.latency;
  if (b) {
    rows.push([
      `latency @${fmt(b.rate)} msg/s, ${b.seconds} s`,
      `p50 ${fmt(b.p50)} ms | p99 ${fmt(b.p99)} ms`,
      `max ${fmt(b.max)} ms`,
      `sent at ${fmt(b.actualRate)} msg/s`,
      `goal p99 ≤ 500 ms: ${met(b.p99 <= 500)}`,
    ]);
  }
  if (results.sweep?.length) {
    const held = [b, ...results.sweep].filter((r) => r && r.p99 < 1000 && r.actualRate >= 0.9 * r.rate);
    const best = held.reduce((x, r) => (r.rate > (x?.rate ?? 0) ? r : x), null);
    const last = results.sweep.at(-1);
    rows.push([
      'highest steady rate, p99 < 1 s',
      best ? `${fmt(best.rate)} msg/s (p99 ${fmt(best.p99)} ms)` : 'none',
      `tried up to ${fmt(last.rate)} msg/s`,
      `there: sent at ${fmt(last.actualRate)} msg/s, p99 ${fmt(last.p99)} ms`,
      'report only',
    ]);
  }
  for (const c of results.rss ?? []) {
    rows.push([
      `peak RSS, ${fmt(c.n)} msgs, ${c.destinations}`,
      `${fmt(c.peakMb)} MB`,
      `flat: ${flatText(c.flat)}`,
      Object.entries(c.rates)
        .map(([k, r]) => `${k} ${fmt(r)} rows/s`)
        .join(', '),
      `goal ≤ 300 MB, flat: ${met(c.peakMb <= 300 && c.flat === true)}`,
    ]);
  }
  if (rows.length === 0) return;
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const flags = workerFlags.length > 0 ? `; worker flags: ${workerFlags.join(' ')}` : '';
  console.log(
    `\nruntime benchmark summary (local stack; ratios against baselines measured in this run${flags})\n`,
  );
  for (const r of rows)
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join(' | ')
        .trimEnd(),
    );
}
