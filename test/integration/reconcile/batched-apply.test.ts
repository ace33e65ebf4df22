/**
 * Batched apply: many new feeds go through one CreateTopics, sequenced DDL and multi-row inserts, and the audit log
 * still holds exactly one row per change. When the broker refuses one topic of the batch (its name collides with a
 * topic that differs only by '.' versus '_', which Kafka forbids), the topics before it in plan order are applied,
 * it fails, everything after it is skipped — and only the applied and failed changes have audit rows. A failing
 * batch of MySQL rows is rolled back and applied again change by change, which finds the failing change exactly.
 */
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { withAdmin } from '../../../src/clients/kafka.js';
import { migrateUp } from '../../../src/control/migrate.js';
import { applyPlan } from '../../../src/reconciler/apply.js';
import { APPLIERS, BATCHERS } from '../../../src/reconciler/appliers.js';
import { inventoryOf } from '../../../src/reconciler/inventory/observe.js';
import { applyReconcile, planFromManifests } from '../../../src/reconciler/reconcile.js';
import { openSession } from '../../../src/reconciler/session.js';

const env = useTestEnv('rc_batched');
const fc = useFeedctl(env);

const request = () => ({
  paths: [fc.feedsDir],
  options: { allowDestructive: false, prune: false },
  lockTimeoutSeconds: 10,
  actor: 'batch-test',
});

async function auditRows(planId: string) {
  return withMysql(env.config, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(
      'SELECT resource_kind AS kind, resource_id AS id, action, outcome, error FROM audit_log WHERE plan_id = ? ORDER BY audit_log.id',
      [planId],
    );
    return rows.map(
      (r) =>
        ({ ...r }) as { kind: string; id: string; action: string; outcome: string; error: string | null },
    );
  });
}

/**
 * env.createTopic, repeated when its wait for leaders meets metadata the broker has not propagated yet
 * (UNKNOWN_TOPIC_OR_PARTITION right after a create; creating an existing topic again is not an error).
 */
async function createTopicRetrying(topic: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await env.createTopic(topic);
    } catch (err) {
      if ((err as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 300 * attempt));
    }
  }
}

describe('batched apply', () => {
  it('applies many new feeds in one run with one audit row per change, then re-plans to nothing', async () => {
    for (let i = 0; i < 24; i++) {
      const table = i % 3 === 0 ? `fact_many${i}` : undefined;
      fc.writeFeed(
        `many${i}`,
        feedYaml({
          name: `many${i}`,
          type: i % 4 === 0 ? 'table' : 'stream',
          topic: env.topic(`m${i}`),
          table,
        }),
      );
    }
    const out = await applyReconcile(
      env.config,
      request(),
      undefined,
      () => undefined,
      () => undefined,
    );
    expect(out.results.length).toBeGreaterThan(24 * 4);
    expect(out.results.every((r) => r.outcome === 'applied')).toBe(true);
    // 24 topics and 24 dead-letter topics in one validation and one creation request, besides observation's 3.
    expect(out.results.filter((r) => r.change.kind === 'topic')).toHaveLength(48);
    expect(out.roundTrips.kafka).toBeLessThanOrEqual(5);

    const audit = await auditRows(out.plan.id);
    const key = (x: { kind: string; id: string; action: string }) => `${x.kind} ${x.action} ${x.id}`;
    expect(audit.map(key).sort()).toEqual(out.results.map((r) => key(r.change)).sort());
    expect(audit.every((a) => a.outcome === 'applied' && a.error === null)).toBe(true);

    const topics = new Set(await withAdmin(env.config, (a) => a.listTopics()));
    for (const r of out.results.filter((x) => x.change.kind === 'topic'))
      expect(topics).toContain(r.change.id);
    await fc.expectConverged();
  });

  it('stops a topic batch at the topic the broker refuses: applied before it, failed, skipped after', async () => {
    const names = [0, 1, 2, 3].map((i) => env.topic(`clash${i}`));
    names.forEach((topic, i) =>
      fc.writeFeed(
        `clash${i}`,
        feedYaml({ name: `clash${i}`, topic, table: `fact_clash${i}`, deadLetter: false }),
      ),
    );
    // A topic that differs from clash2's only by '.' → '_': Kafka refuses to create clash2 (names would collide).
    const colliding = (names[2] ?? '').replaceAll('.', '_');
    await createTopicRetrying(colliding);

    const out = await applyReconcile(
      env.config,
      request(),
      undefined,
      () => undefined,
      () => undefined,
    );
    const topicResults = out.results.filter((r) => r.change.kind === 'topic');
    expect(topicResults.map((r) => r.change.id)).toEqual(names);
    expect(topicResults.map((r) => r.outcome)).toEqual(['applied', 'applied', 'failed', 'skipped']);
    expect(topicResults[2]?.error).toMatch(/INVALID_TOPIC_EXCEPTION/);
    const after = out.results.slice(out.results.indexOf(topicResults[2] as (typeof out.results)[number]) + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => r.outcome === 'skipped')).toBe(true);

    // The world matches the report: the two applied topics exist and are owned, the skipped one was not created.
    const existing = new Set(await withAdmin(env.config, (a) => a.listTopics()));
    expect([names[0], names[1]].every((t) => existing.has(t ?? ''))).toBe(true);
    expect(existing.has(names[3] ?? '')).toBe(false);
    const owned = await withMysql(env.config, async (c) => {
      const [rows] = await c.query<RowDataPacket[]>(
        "SELECT resource_id AS id FROM feedctl_inventory WHERE resource_kind = 'topic' AND resource_id IN (?)",
        [names],
      );
      return rows.map((r) => String(r.id)).sort();
    });
    expect(owned).toEqual([names[0], names[1]].sort());

    // One audit row per applied or failed change, none for skipped ones.
    const audit = await auditRows(out.plan.id);
    expect(audit.map((a) => `${a.kind} ${a.id} ${a.outcome}`)).toEqual([
      `topic ${names[0]} applied`,
      `topic ${names[1]} applied`,
      `topic ${names[2]} failed`,
    ]);
    expect(audit[2]?.error).toMatch(/INVALID_TOPIC_EXCEPTION/);

    // Once the colliding topic is gone, the next run applies the rest and converges.
    await withAdmin(env.config, (a) => a.deleteTopics({ topics: [colliding], timeout: 30_000 }));
    const retry = await applyReconcile(
      env.config,
      request(),
      undefined,
      () => undefined,
      () => undefined,
    );
    expect(retry.results.every((r) => r.outcome === 'applied')).toBe(true);
    expect(retry.results.filter((r) => r.change.kind === 'topic').map((r) => r.change.id)).toEqual([
      names[2],
      names[3],
    ]);
    await fc.expectConverged();
  });

  it('rolls back a failing batch of rows and applies it change by change up to the failing change', async () => {
    const feeds = [0, 1, 2].map((i) => `rows${i}`);
    feeds.forEach((name, i) =>
      fc.writeFeed(name, feedYaml({ name, topic: env.topic(`rows${i}`), table: `fact_rows${i}` })),
    );
    await migrateUp(env.config);
    const planned = await planFromManifests(env.config, request());
    const only = (kind: string) => ({
      ...planned.plan,
      changes: planned.plan.changes.filter((c) => c.kind === kind && feeds.includes(c.id)),
    });
    const plan = only('retention');
    expect(plan.changes.map((c) => c.id)).toEqual(feeds);
    const session = await openSession(env.config);
    try {
      const ctx = {
        config: env.config,
        kafka: session.kafka,
        db: session.db,
        inventory: inventoryOf([]),
        feeds: new Map(planned.feeds.map((f) => [f.name, f])),
      };
      const meta = { actor: 'batch-test', sourceRevision: null };
      // Registry rows first (retention rows reference them by a foreign key) — but not rows1's.
      const registry = only('registry');
      registry.changes = registry.changes.filter((c) => c.id !== 'rows1');
      const first = await applyPlan(ctx, registry, APPLIERS, meta, () => undefined, BATCHERS);
      expect(first.map((r) => r.outcome)).toEqual(['applied', 'applied']);
      // The batch's multi-row INSERT of retention rows fails on rows1's foreign key: rolled back, then applied one
      // by one, which stops exactly at rows1.
      const results = await applyPlan(ctx, plan, APPLIERS, meta, () => undefined, BATCHERS);
      expect(results.map((r) => `${r.change.id} ${r.outcome}`)).toEqual([
        'rows0 applied',
        'rows1 failed',
        'rows2 skipped',
      ]);
      expect(results[1]?.error).toMatch(/foreign key constraint fails/);
    } finally {
      await session.close();
    }
    const rows = await withMysql(env.config, async (c) => {
      const [r] = await c.query<RowDataPacket[]>(
        'SELECT feed_name AS f FROM data_retention_policies WHERE feed_name IN (?) ORDER BY feed_name',
        [feeds],
      );
      return r.map((x) => String(x.f));
    });
    expect(rows).toEqual(['rows0']);
    const audit = (await auditRows(plan.id)).filter((a) => a.kind === 'retention');
    expect(audit.map((a) => `${a.kind} ${a.id} ${a.outcome}`)).toEqual([
      'retention rows0 applied',
      'retention rows1 failed',
    ]);
    // The rest of what these manifests need is applied by a normal run, which then converges.
    const rest = await applyReconcile(
      env.config,
      request(),
      undefined,
      () => undefined,
      () => undefined,
    );
    expect(rest.results.every((r) => r.outcome === 'applied')).toBe(true);
    await fc.expectConverged();
  });
});
