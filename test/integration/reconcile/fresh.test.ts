import { describe, expect, it, beforeAll } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { withAdmin } from '../../../src/clients/kafka.js';

const env = useTestEnv('rc_fresh');
const fc = useFeedctl(env);

describe('reconcile on a fresh system', () => {
  let events: string;
  let catalog: string;
  let analyst: string;
  /** Changes the apply reported; the audit log must hold exactly one row per change. */
  let appliedChanges = 0;
  beforeAll(() => {
    events = env.topic('events');
    catalog = env.topic('catalog');
    analyst = env.role('analyst');
    fc.writeFeed(
      'events',
      feedYaml({ name: 'events', topic: events, table: 'fact_events', roles: [analyst] }),
    );
    fc.writeFeed(
      'catalog',
      feedYaml({ name: 'catalog', type: 'table', topic: catalog, table: 'dim_catalog', roles: [analyst] }),
    );
  });

  it('plans everything as creates, applies it, then re-plans to nothing', async () => {
    const dry = await fc.cli('reconcile', '--dry-run', '--detailed-exitcode', '-o', 'json');
    expect(dry.code).toBe(2);
    const plan = JSON.parse(dry.stdout) as { changes: Array<{ kind: string; action: string; id: string }> };
    const kinds = new Set(plan.changes.map((c) => c.kind));
    for (const k of ['topic', 'table', 'registry', 'retention', 'role', 'grant', 'consumer'])
      expect(kinds).toContain(k);
    expect(plan.changes.every((c) => c.action === 'create')).toBe(true);

    const applied = await fc.cli('reconcile', '--actor', 'test-suite');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const complete = /Apply complete: (\d+) applied/.exec(applied.stdout);
    expect(complete, applied.stdout).not.toBeNull();
    appliedChanges = Number(complete?.[1]);
    expect(appliedChanges).toBe(plan.changes.length);
    await fc.expectConverged();
  });

  it('leaves topics, a seed-shaped table, registry rows, grants and one audit row per change', async () => {
    const topics = await withAdmin(env.config, (a) => a.listTopics());
    expect(topics).toEqual(expect.arrayContaining([events, catalog, `${events}-dlq`, `${catalog}-dlq`]));
    await withMysql(env.config, async (c) => {
      const [reg] = await c.query<RowDataPacket[]>("SELECT * FROM feed_registry WHERE feed_name = 'events'");
      expect(reg[0]).toMatchObject({
        feed_type: 'stream',
        kafka_topic: events,
        partitioning_strategy: 'date',
        storage_mode: 'append',
        destination: 'both',
        warehouse_table: 'fact_events',
        enabled: 1,
        managed_by: 'feedctl',
      });
      const [ret] = await c.query<RowDataPacket[]>(
        "SELECT * FROM data_retention_policies WHERE feed_name = 'catalog'",
      );
      expect(ret[0]).toMatchObject({ feed_type: 'table', retention_days: null, retention_versions: 3 });
      const [cols] = await c.query<RowDataPacket[]>(
        "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'fact_events' ORDER BY ordinal_position",
      );
      expect(cols.map((r) => r.c)).toEqual(
        expect.arrayContaining([
          'id',
          'customer_id',
          'snapshot_date',
          'snapshot_version',
          'created_at',
          'updated_at',
        ]),
      );
      const [uq] = await c.query<RowDataPacket[]>(
        "SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'fact_events' AND non_unique = 0 AND index_name <> 'PRIMARY' GROUP BY index_name",
      );
      expect(uq.map((r) => r.cols)).toContain('customer_id,snapshot_date,snapshot_version');
      const [audit] = await c.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n, MIN(actor) AS actor, COUNT(DISTINCT plan_id) AS plans FROM audit_log WHERE outcome = 'applied'",
      );
      expect(audit[0]).toMatchObject({ actor: 'test-suite' });
      expect(Number(audit[0]?.plans)).toBe(1);
      expect(appliedChanges).toBeGreaterThanOrEqual(14);
      expect(Number(audit[0]?.n)).toBe(appliedChanges);
    });
    await fc.expectConverged();
  });
});
