// Benchmark (not a test) of `reconcile` on the local stack, with Kafka and MySQL round-trips (RTs). Run: npm run
// bench (builds first). Every size uses its own database and topics, removed at the end.
//
// 1. Sizes (BENCH_FEEDS, default 10,100,500): dry-run of N new feeds, their apply, then a converged dry-run.
//    Batched observation means the round-trip counts stay flat as N grows.
// 2. Goals of issue 15 (goal 4), each printed with its figure, a ratio and "met" / "NOT met":
//    - apply of 500 new feeds ≤ 10 s. Ratio: against the change-by-change apply (no batching, one audit row per
//      INSERT — what apply did before) measured in this same run on BENCH_BASELINE_FEEDS new feeds (default 50, to
//      keep the bench short) and scaled linearly to 500: its cost is a fixed set of round-trips per change, so it
//      grows linearly with the number of changes (before batching, 500 feeds took 72 s and 81.6 s in two runs; the
//      latter run's 50-feed figure ×10 gave 81.5 s). Set BENCH_BASELINE_FEEDS=500 to measure it at full size.
//    - dry-run of 5,000 new feeds ≤ 3 s with round-trips independent of the feed count. Ratio: against the
//      dry-run of 500 feeds measured in this run (10× the feeds: a ratio ≤ 10 means no worse than linear), and the
//      round-trips must equal those of the 500-feed dry-run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../dist/config/config.js';
import { withAdmin } from '../dist/clients/kafka.js';
import { withMysql } from '../dist/clients/mysql.js';
import { migrateUp } from '../dist/control/migrate.js';
import { applyPlan } from '../dist/reconciler/apply.js';
import { APPLIERS } from '../dist/reconciler/appliers.js';
import { inventoryOf } from '../dist/reconciler/inventory/observe.js';
import { applyReconcile, planFromManifests } from '../dist/reconciler/reconcile.js';
import { openSession } from '../dist/reconciler/session.js';

const SIZES = (process.env.BENCH_FEEDS ?? '10,100,500').split(',').map(Number);
const GOAL_APPLY = { feeds: 500, seconds: 10 };
const GOAL_DRY_RUN = { feeds: 5000, seconds: 3, against: 500 };
const BASELINE_FEEDS = Number(process.env.BENCH_BASELINE_FEEDS ?? 50);
const run = Math.random().toString(16).slice(2, 8);
const base = loadConfig().config;

function manifest(i, tag) {
  return `apiVersion: feedctl/v1
kind: Feed
metadata: {name: bench_${i}}
spec:
  type: ${i % 5 === 0 ? 'table' : 'stream'}
  topic: {name: bench.${run}.${tag}.${i}, partitions: 1, configs: {retention.ms: "86400000"}}
  schema:
    fields:
      - {name: item_id, type: string, maxLength: 64}
      - {name: amount, type: decimal, precision: 12, scale: 2, nullable: true}
      - {name: at, type: timestamp}
    key: [item_id]
    eventTime: at
  destinations:
    lake: {enabled: true}
    warehouse: {enabled: true, table: fact_bench_${i}}
  deadLetter: {enabled: false}
`;
}

async function timed(fn) {
  const t = process.hrtime.bigint();
  const out = await fn();
  return { out, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

/** Runs `fn(config, req)` on n generated feeds in a database and topic namespace of their own, then removes them. */
async function withFeeds(n, tag, fn) {
  const database = `bench_${run}_${tag}`;
  const config = { ...base, mysql: { ...base.mysql, database } };
  const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-bench-'));
  for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `f${i}.yaml`), manifest(i, tag));
  await withMysql(config, (c) => c.query(`CREATE DATABASE \`${database}\``), { withDatabase: false });
  const req = {
    paths: [dir],
    options: { allowDestructive: false, prune: false },
    lockTimeoutSeconds: 10,
    actor: 'bench',
  };
  try {
    return await fn(config, req);
  } finally {
    await withMysql(config, (c) => c.query(`DROP DATABASE IF EXISTS \`${database}\``), {
      withDatabase: false,
    });
    await withAdmin(config, async (a) => {
      const mine = (await a.listTopics()).filter((t) => t.startsWith(`bench.${run}.${tag}.`));
      if (mine.length) await a.deleteTopics({ topics: mine, timeout: 120000 });
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

const noop = () => {};

async function dryRun(config, req) {
  const r = await timed(() => planFromManifests(config, req));
  if (r.out.diagnostics.length > 0)
    throw new Error(`bench manifests invalid: ${r.out.diagnostics[0].message}`);
  return r;
}

function benchSize(n) {
  return withFeeds(n, `s${n}`, async (config, req) => {
    const fresh = await dryRun(config, req);
    const apply = await timed(() => applyReconcile(config, req, undefined, noop, noop));
    const failed = apply.out.results.find((r) => r.outcome !== 'applied');
    if (failed) throw new Error(`bench apply: ${failed.change.kind} ${failed.change.id} ${failed.outcome}`);
    const converged = await dryRun(config, req);
    const row = (phase, r, changes) => ({ n, phase, ms: r.ms, changes, ...r.out.roundTrips });
    return [
      row('dry-run, fresh', fresh, fresh.out.plan.changes.length),
      row('apply', apply, apply.out.results.length),
      row('dry-run, converged', converged, converged.out.plan.changes.length),
    ];
  });
}

/** The apply as it was before batching: change by change, one audit INSERT each (no batch appliers). */
function changeByChange(n) {
  return withFeeds(n, `b${n}`, async (config, req) => {
    await migrateUp(config);
    const { plan, feeds } = await planFromManifests(config, req);
    const session = await openSession(config);
    try {
      const ctx = {
        config,
        kafka: session.kafka,
        db: session.db,
        inventory: inventoryOf([]),
        feeds: new Map(feeds.map((f) => [f.name, f])),
      };
      const r = await timed(() => applyPlan(ctx, plan, APPLIERS, { actor: 'bench', sourceRevision: null }));
      if (r.out.some((x) => x.outcome !== 'applied')) throw new Error('bench baseline apply failed');
      return { ms: r.ms, changes: r.out.length, ...session.roundTrips };
    } finally {
      await session.close();
    }
  });
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const met = (ok) => (ok ? 'met' : 'NOT met');

const rows = [];
for (const n of SIZES) rows.push(...(await benchSize(n)));
console.log('\nreconcile benchmark (local stack)\n');
console.log('feeds  phase                 time ms   changes  kafka RTs  mysql RTs');
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(5)}  ${r.phase.padEnd(20)}  ${r.ms.toFixed(0).padStart(7)}  ${String(r.changes).padStart(8)}  ${String(r.kafka).padStart(9)}  ${String(r.mysql).padStart(9)}`,
  );
}
const converged = rows.filter((r) => r.phase === 'dry-run, converged');
const flat = converged.every((r) => r.kafka === converged[0]?.kafka && r.mysql === converged[0]?.mysql);
console.log(`converged dry-run round-trips flat across ${SIZES.join('/')} feeds: ${flat ? 'yes' : 'NO'}`);

// Goal: apply of 500 new feeds.
const applied =
  rows.find((r) => r.n === GOAL_APPLY.feeds && r.phase === 'apply') ??
  (await benchSize(GOAL_APPLY.feeds)).find((r) => r.phase === 'apply');
const baseline = await changeByChange(BASELINE_FEEDS);
const scale = GOAL_APPLY.feeds / BASELINE_FEEDS;
const baselineMs = baseline.ms * scale;
console.log('\ngoals (issue 15, goal 4)\n');
console.log(
  `apply ${GOAL_APPLY.feeds} new feeds: ${fmt(applied.ms)} (${applied.changes} changes, ${applied.kafka} kafka RTs, ` +
    `${applied.mysql} mysql RTs) — goal ≤ ${GOAL_APPLY.seconds} s: ${met(applied.ms <= GOAL_APPLY.seconds * 1000)}`,
);
console.log(
  `  change by change, same run: ${fmt(baseline.ms)} for ${BASELINE_FEEDS} feeds (${baseline.changes} changes, ` +
    `${baseline.kafka} kafka RTs, ${baseline.mysql} mysql RTs)` +
    (scale === 1 ? '' : ` → ×${scale} = ${fmt(baselineMs)} for ${GOAL_APPLY.feeds}`) +
    `; batched is ${(baselineMs / applied.ms).toFixed(1)}× faster`,
);

// Goal: dry-run of 5,000 new feeds.
/** A dry-run of new feeds against a migrated (empty) control plane: observation reads every kind. */
const migratedDryRun = (c, req) => migrateUp(c).then(() => dryRun(c, req));
const against = await withFeeds(GOAL_DRY_RUN.against, 'd1', migratedDryRun);
const big = await withFeeds(GOAL_DRY_RUN.feeds, 'd2', migratedDryRun);
const rtsFlat = ['kafka', 'mysql'].every((k) => big.out.roundTrips[k] === against.out.roundTrips[k]);
console.log(
  `dry-run ${GOAL_DRY_RUN.feeds} new feeds: ${fmt(big.ms)} (${big.out.plan.changes.length} changes, ` +
    `${big.out.roundTrips.kafka} kafka RTs, ${big.out.roundTrips.mysql} mysql RTs) — goal ≤ ${GOAL_DRY_RUN.seconds} s: ` +
    `${met(big.ms <= GOAL_DRY_RUN.seconds * 1000)}`,
);
console.log(
  `  vs ${GOAL_DRY_RUN.against} feeds, same run: ${fmt(against.ms)}; ${GOAL_DRY_RUN.feeds / GOAL_DRY_RUN.against}× the feeds took ` +
    `${(big.ms / against.ms).toFixed(1)}× the time; round-trips ${against.out.roundTrips.kafka}+${against.out.roundTrips.mysql} → ` +
    `${big.out.roundTrips.kafka}+${big.out.roundTrips.mysql}, independent of the feed count: ${met(rtsFlat)}`,
);
