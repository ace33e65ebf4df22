// Benchmark (not a test): `loadFeeds` over 1,000 generated manifests (read, parse with positions, JSON Schema,
// defaults, semantic and cross-file checks), against a baseline measured in the same run: reading the same files
// and `yaml.parse` alone. The first load includes compiling the schema; the others are the median of RUNS.
// Run: npm run bench -- validate (builds first). Needs no Kafka or MySQL.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadFeeds } from '../dist/feeds/load.js';

const N = Number(process.env.BENCH_MANIFESTS ?? 1000);
const RUNS = 7;

function manifest(i) {
  const table = i % 4 === 0;
  return `# yaml-language-server: $schema=../schemas/feed.schema.json
apiVersion: feedctl/v1
kind: Feed
metadata:
  name: feed_${i}
  owner: team-${i % 17}
  labels: {team: t${i % 17}, tier: gold}
spec:
  type: ${table ? 'table' : 'stream'}
  topic:
    name: bench.feed-${i}
    partitions: ${1 + (i % 12)}
    configs: {retention.ms: ${86400000 * (1 + (i % 30))}, compression.type: zstd, cleanup.policy: delete}
  schema:
    fields:
      - {name: item_id, type: string, maxLength: 64}
      - {name: customer_id, type: bigint}
      - {name: amount, type: decimal, precision: 15, scale: 2, nullable: true}
      - {name: currency, type: string, maxLength: 3}
      - {name: note, type: string, nullable: true}
      - {name: payload, type: json, nullable: true}
      - {name: occurred_at, type: timestamp}
    key: [item_id]
    eventTime: occurred_at
  destinations:
    lake: {compression: snappy, flush: {maxRows: 50000}}
    warehouse: {enabled: true, table: fact_feed_${i}}
  retention: {${table ? 'versions: 5' : 'days: 30'}}
  access: {roles: [analyst, finance]}
`;
}

async function time(fn) {
  const t = process.hrtime.bigint();
  const out = await fn();
  return { out, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-validate-bench-'));
try {
  for (let i = 0; i < N; i++)
    writeFileSync(path.join(dir, `feed_${String(i).padStart(4, '0')}.yaml`), manifest(i));
  const baseline = () => readdirSync(dir).map((f) => parse(readFileSync(path.join(dir, f), 'utf8')));
  const first = await time(() => loadFeeds([dir]));
  if (first.out.feeds.length !== N || first.out.diagnostics.length > 0) {
    throw new Error(
      `expected ${N} valid feeds, got ${first.out.feeds.length} and ${first.out.diagnostics.length} diagnostics`,
    );
  }
  const parseMs = [];
  const loadMs = [];
  for (let r = 0; r < RUNS; r++) {
    parseMs.push((await time(baseline)).ms);
    loadMs.push((await time(() => loadFeeds([dir]))).ms);
  }
  const rows = [
    ['read + yaml.parse (baseline)', median(parseMs)],
    ['loadFeeds, first (compiles schema)', first.ms],
    ['loadFeeds, median', median(loadMs)],
  ];
  const base = median(parseMs);
  console.log(`\nvalidate benchmark: ${N} manifests, median of ${RUNS} runs\n`);
  console.log('what                                   total ms   ms per 100   vs baseline');
  for (const [what, ms] of rows) {
    console.log(
      `${what.padEnd(37)}  ${ms.toFixed(1).padStart(8)}  ${((ms * 100) / N).toFixed(2).padStart(11)}  ${(ms / base).toFixed(2).padStart(11)}x`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
