import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../helpers/env.js';
import { migrateDown, migrateUp, migrationStatus } from '../../src/control/migrate.js';
import { withMysql, type RowDataPacket } from '../../src/clients/mysql.js';
import type { Config } from '../../src/config/config.js';

const env = useTestEnv('migrations');

async function columns(config: Config, table: string): Promise<string[]> {
  return withMysql(config, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(
      'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position',
      [table],
    );
    return rows.map((r) => String(r.c));
  });
}

const SEED_REGISTRY = [
  'feed_name',
  'feed_type',
  'source_type',
  'kafka_topic',
  'partitioning_strategy',
  'storage_format',
  'compression',
  'schema_definition',
  'created_by',
];
const SEED_RETENTION = [
  'feed_name',
  'feed_type',
  'retention_days',
  'retention_versions',
  'auto_delete',
  'created_by',
];

describe('control-plane migrations', () => {
  it('go up, report status, go down and up again', async () => {
    const names = (await migrationStatus(env.config)).map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(await migrateUp(env.config)).toEqual(names);
    expect(await migrateUp(env.config)).toEqual([]);
    const status = await migrationStatus(env.config);
    expect(status.every((m) => m.applied && m.appliedAt)).toBe(true);

    expect(await migrateDown(env.config, 'all')).toEqual([...names].reverse());
    expect((await migrationStatus(env.config)).some((m) => m.applied)).toBe(false);
    expect(await columns(env.config, 'feed_registry')).toEqual([]);

    expect(await migrateUp(env.config)).toEqual(names);
  });

  it('create the seed tables with the seed column names', async () => {
    await migrateUp(env.config);
    expect(await columns(env.config, 'feed_registry')).toEqual(expect.arrayContaining(SEED_REGISTRY));
    expect(await columns(env.config, 'data_retention_policies')).toEqual(
      expect.arrayContaining(SEED_RETENTION),
    );
    expect(await columns(env.config, 'audit_log')).toEqual(
      expect.arrayContaining([
        'occurred_at',
        'actor',
        'action',
        'resource_kind',
        'resource_id',
        'before_state',
        'after_state',
        'plan_id',
        'source_revision',
        'outcome',
        'error',
      ]),
    );
  });

  it("keep the seed runbook's own INSERTs and verification queries working", async () => {
    await migrateUp(env.config);
    const row = await withMysql(env.config, async (c) => {
      await c.query(
        "INSERT INTO feed_registry (feed_name, feed_type, source_type, kafka_topic, partitioning_strategy, storage_format, compression, schema_definition, created_by) VALUES ('nouveau_feed', 'stream', 'kafka', 'nouveau_topic_kafka', 'date', 'parquet', 'snappy', '{\"fields\": [\"field1\", \"field2\"]}', 1)",
      );
      await c.query(
        "INSERT INTO data_retention_policies (feed_name, feed_type, retention_days, retention_versions, auto_delete, created_by) VALUES ('nouveau_feed', 'stream', 90, NULL, TRUE, 1)",
      );
      const [r] = await c.query<RowDataPacket[]>(
        "SELECT * FROM feed_registry WHERE feed_name = 'nouveau_feed'",
      );
      const [p] = await c.query<RowDataPacket[]>(
        "SELECT * FROM data_retention_policies WHERE feed_name = 'nouveau_feed'",
      );
      return { registry: r[0], retention: p[0] };
    });
    expect(row.registry).toMatchObject({
      feed_type: 'stream',
      kafka_topic: 'nouveau_topic_kafka',
      enabled: 1,
      generation: '1',
    });
    expect(row.retention).toMatchObject({ retention_days: 90, retention_versions: null, auto_delete: 1 });
  });

  it('make audit_log append-only', async () => {
    await migrateUp(env.config);
    await withMysql(env.config, async (c) => {
      await c.query(
        "INSERT INTO audit_log (actor, action, resource_kind, resource_id, outcome) VALUES ('t', 'create', 'topic', 'x', 'applied')",
      );
      await expect(c.query("UPDATE audit_log SET actor = 'someone else'")).rejects.toThrow(/append-only/);
      await expect(c.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    });
  });
});
