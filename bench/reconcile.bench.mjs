// Benchmark (not a test): `reconcile --dry-run` over N generated feeds on the local stack, fresh (everything to
// create) and converged (nothing to do), with Kafka and MySQL round-trips. Batched observation means the
// round-trip counts stay flat as N grows. Run: npm run bench (builds first). Uses its own database and topics,
// removed at the end.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../dist/config/config.js';
import { withAdmin } from '../dist/clients/kafka.js';
import { withMysql } from '../dist/clients/mysql.js';
import { applyReconcile, planFromManifests } from '../dist/reconciler/reconcile.js';

const SIZES = (process.env.BENCH_FEEDS ?? '10,100,500').split(',').map(Number);
const run = Math.random().toString(16).slice(2, 8);

function manifest(i) {
  return `apiVersion: feedctl/v1
kind: Feed
metadata: {name: bench_${i}}
spec:
  type: ${i % 5 === 0 ? 'table' : 'stream'}
  topic: {name: bench.${run}.${i}, partitions: 1, configs: {retention.ms: "86400000"}}
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

async function benchSize(base, n) {
  const database = `bench_${run}_${n}`;
  const config = { ...base, mysql: { ...base.mysql, database } };
  const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-bench-'));
  for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `f${i}.yaml`), manifest(i));
  await withMysql(config, (c) => c.query(`CREATE DATABASE \`${database}\``), { withDatabase: false });
  const req = {
    paths: [dir],
    options: { allowDestructive: false, prune: false },
    lockTimeoutSeconds: 10,
    actor: 'bench',
  };
  try {
    const fresh = await timed(() => planFromManifests(config, req));
    if (fresh.out.diagnostics.length > 0)
      throw new Error(`bench manifests invalid: ${fresh.out.diagnostics[0].message}`);
    const apply = await timed(() =>
      applyReconcile(
        config,
        req,
        undefined,
        () => {},
        () => {},
      ),
    );
    const converged = await timed(() => planFromManifests(config, req));
    return [
      {
        n,
        phase: 'dry-run, fresh',
        ms: fresh.ms,
        changes: fresh.out.plan.changes.length,
        ...fresh.out.roundTrips,
      },
      { n, phase: 'apply', ms: apply.ms, changes: apply.out.results.length, ...apply.out.roundTrips },
      {
        n,
        phase: 'dry-run, converged',
        ms: converged.ms,
        changes: converged.out.plan.changes.length,
        ...converged.out.roundTrips,
      },
    ];
  } finally {
    await withMysql(config, (c) => c.query(`DROP DATABASE IF EXISTS \`${database}\``), {
      withDatabase: false,
    });
    await withAdmin(config, async (a) => {
      const mine = (await a.listTopics()).filter((t) => t.startsWith(`bench.${run}.`));
      if (mine.length) await a.deleteTopics({ topics: mine, timeout: 120000 });
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

const base = loadConfig().config;
const rows = [];
for (const n of SIZES) rows.push(...(await benchSize(base, n)));
const smallest = rows.find((r) => r.phase === 'dry-run, converged');
console.log('\nreconcile benchmark (local stack)\n');
console.log('feeds  phase                 time ms   changes  kafka RTs  mysql RTs  time vs 10-feed dry-run');
for (const r of rows) {
  const ratio = r.phase.startsWith('dry-run') && smallest ? `${(r.ms / smallest.ms).toFixed(1)}x` : '';
  console.log(
    `${String(r.n).padStart(5)}  ${r.phase.padEnd(20)}  ${r.ms.toFixed(0).padStart(7)}  ${String(r.changes).padStart(8)}  ${String(r.kafka).padStart(9)}  ${String(r.mysql).padStart(9)}  ${ratio}`,
  );
}
