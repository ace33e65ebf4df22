// The printed figures of the scaleout bench (bench/scaleout.bench.mjs): each with its ratio against the baseline
// measured in the same run, and a short label.
import { fmt } from './runtime-report.mjs';

const s1 = (ms) => fmt(ms / 1000, 1);
const x2 = (r) => `${fmt(r, 2)}×`;
const met = (ok) => (ok ? 'met' : 'NOT met');

const best = (runs, key) => runs.reduce((a, r) => (r[key] > a[key] ? r : a));

/**
 * A. The same messages into a lake-only worker, local folder (baseline) vs S3Proxy, each run once or more
 * (`runs.fs`, `runs.s3`): every run's figures, then the ratio of the best steady rates.
 */
export function printLake(runs, endpoint) {
  const fs = best(runs.fs, 'steadyRate');
  const s3 = best(runs.s3, 'steadyRate');
  console.log(
    `\nA. lake ingest, S3Proxy vs local folder: ${fmt(fs.n)} messages of ≈105 bytes, 3 partitions, pre-produced` +
      ` with kcat, one lake-only worker (defaults); ${runs.fs.length} run(s) each, alternating`,
  );
  console.log(
    `   ${'lake'.padEnd(38)}steady 10–90 % msgs/s  vs folder  spawn→committed s  msgs/s  flushes × ms  cores`,
  );
  const row = (label, r) =>
    console.log(
      `   ${label.padEnd(38)}${fmt(r.steadyRate).padStart(21)}${x2(r.steadyRate / fs.steadyRate).padStart(11)}` +
        `${s1(r.ms).padStart(19)}${fmt(r.rate).padStart(8)}${`${r.flushes} × ${fmt(r.flushMs)}`.padStart(14)}` +
        `${fmt(r.cores, 2).padStart(7)}`,
    );
  runs.fs.forEach((r, i) => row(`local folder, run ${i + 1}${r === fs ? ' (baseline)' : ''}`, r));
  runs.s3.forEach((r, i) => row(`S3Proxy ${endpoint}, run ${i + 1}`, r));
  const fastest = best(runs.fs, 'rate');
  console.log(
    `   ratio s3/folder, best steady rate of each: ${x2(s3.steadyRate / fs.steadyRate)}` +
      ` (spawn → every offset in a commit record, best of each: ${x2(best(runs.s3, 'rate').rate / fastest.rate)};` +
      ' start-up and the 5 s idle flush included)',
  );
  console.log(
    '   flushes × ms: lake commits and their mean time (a flush runs while its partition fetches on);' +
      ` cores: the worker's CPU, spawn to committed; peak RSS folder ${fmt(fs.peakMb)} MB, S3 ${fmt(s3.peakMb)} MB`,
  );
  console.log(`   exact, folder (every run): ${fs.exact}`);
  console.log(`   exact, S3 (every run): ${s3.exact}`);
}

/** B. 1, 2, 3 workers on one 6-partition topic; the first round with one worker is the baseline. */
export function printScale(rounds, n, sinks, backend) {
  const one = rounds.find((r) => r.k === 1) ?? rounds[0];
  const lake = backend === 's3' ? 'lake on S3Proxy' : 'lake in a local folder';
  const what = sinks.length === 2 ? `${lake} + warehouse` : `${lake} only`;
  console.log(
    `\nB. scale-out: ${fmt(n)} messages of ≈105 bytes, one 6-partition topic, ${what}; the workers join the` +
      ' consumer groups on the empty topic, then kcat produces and the clock starts',
  );
  console.log(
    `   ${'workers'.padEnd(14)}produce start→all durable s  msgs/s  vs 1 worker  steady msgs/s  vs 1 worker` +
      '  CPU cores  lake share per worker  groups formed after s',
  );
  for (const r of rounds) {
    const shares = r.shares.map((x) => `${fmt(100 * x)}%`).join('/');
    console.log(
      `   ${`${r.k}${r === one ? ' (baseline)' : ''}`.padEnd(14)}${s1(r.ms).padStart(27)}${fmt(r.rate).padStart(8)}` +
        `${x2(r.rate / one.rate).padStart(13)}${fmt(r.steadyRate).padStart(15)}${x2(r.steadyRate / one.steadyRate).padStart(13)}` +
        `${fmt(r.cores, 2).padStart(11)}  ${shares.padEnd(21)}${s1(r.formedMs).padStart(23)}`,
    );
  }
  for (const r of rounds)
    console.log(
      `   ${r.k} worker(s): ${r.flushes} lake flushes, ${fmt(r.flushMs)} ms each; kcat produced at` +
        ` ${fmt(r.produceRate)} msgs/s; exact: ${r.exact}`,
    );
  const more = rounds.filter((r) => r.k > 1);
  const ratios = more.map((r) => `${r.k} workers ${x2(r.rate / one.rate)}`).join(', ');
  console.log(
    `   does not fall (2 and 3 workers ≥ 0.9× of 1 worker, produce start→all durable): ` +
      `${met(more.every((r) => r.rate >= 0.9 * one.rate))} (${ratios})`,
  );
}
