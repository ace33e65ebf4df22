/**
 * The pure parts of `feedctl import`: information_schema rows → fields and key, the registry row and kafka_config.py
 * entry → the feed's draft, and the kafka_config.py reader (python3, literals only, never executed).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderManifest } from '../../../src/authoring/draft.js';
import { buildDraft, type ImportFacts } from '../../../src/authoring/import/build-draft.js';
import { parseKafkaConfig, readKafkaConfig } from '../../../src/authoring/import/kafka-config.js';
import { runbookFeed, schemaFieldNames } from '../../../src/authoring/import/read-registry.js';
import {
  fieldFromColumn,
  fieldType,
  keyFromIndexes,
  type ColumnRow,
  type TableRows,
} from '../../../src/authoring/import/read-tables.js';
import { managedConfigs } from '../../../src/authoring/import/read-topics.js';
import { loadFeeds } from '../../../src/feeds/load.js';

const FIXTURE = 'test/fixtures/runbook/kafka_config.py';
const UCI = 'utf8mb4_unicode_ci';

/** fact_nouveau_feed as MariaDB reports it after the runbook's CREATE TABLE. */
const NOUVEAU: TableRows = {
  name: 'fact_nouveau_feed',
  columns: [
    { name: 'id', columnType: 'int(11)', nullable: false, collation: null },
    { name: 'field1', columnType: 'varchar(255)', nullable: false, collation: UCI },
    { name: 'field2', columnType: 'decimal(15,2)', nullable: true, collation: null },
    { name: 'field3', columnType: 'varchar(100)', nullable: true, collation: UCI },
    { name: 'snapshot_date', columnType: 'date', nullable: false, collation: null },
    { name: 'snapshot_version', columnType: 'int(11)', nullable: false, collation: null },
    { name: 'created_at', columnType: 'timestamp', nullable: true, collation: null },
    { name: 'updated_at', columnType: 'timestamp', nullable: true, collation: null },
  ],
  indexes: [
    { name: 'idx_field1', columns: ['field1'], unique: false },
    { name: 'idx_snapshot_date', columns: ['snapshot_date'], unique: false },
    { name: 'idx_snapshot_version', columns: ['snapshot_version'], unique: false },
    { name: 'unique_snapshot', columns: ['field1', 'snapshot_date', 'snapshot_version'], unique: true },
  ],
};

describe('information_schema rows → fields', () => {
  it.each([
    ['varchar(255)', UCI, { kind: 'string', maxLength: 255 }],
    ['decimal(15,2)', null, { kind: 'decimal', precision: 15, scale: 2 }],
    ['int(11)', null, { kind: 'int' }],
    ['bigint(20)', null, { kind: 'bigint' }],
    ['float', null, { kind: 'float' }],
    ['double', null, { kind: 'double' }],
    ['tinyint(1)', null, { kind: 'boolean' }],
    ['date', null, { kind: 'date' }],
    ['datetime(3)', null, { kind: 'timestamp' }],
    ['json', null, { kind: 'json' }],
    ['longtext', 'utf8mb4_bin', { kind: 'json' }],
    ['text', UCI, { kind: 'string', maxLength: 16383 }],
    ['mediumtext', UCI, { kind: 'string', maxLength: null }],
  ])('%s maps exactly to %j', (columnType, collation, type) => {
    expect(fieldType(columnType, collation)).toEqual({ type });
  });

  it.each([
    ['datetime', { kind: 'timestamp' }],
    ['timestamp', { kind: 'timestamp' }],
    ['char(2)', { kind: 'string', maxLength: 2 }],
    ['smallint(6)', { kind: 'int' }],
    ['varchar(2000)', { kind: 'string', maxLength: 2000 }],
    ['int(10) unsigned', { kind: 'int' }],
    ['tinyint(4)', { kind: 'int' }],
    ['longtext', { kind: 'string', maxLength: null }],
    ['geometry', { kind: 'string', maxLength: null }],
  ])('%s has no exact equivalent: the closest type and a TODO note', (columnType, type) => {
    const m = fieldType(columnType, null);
    expect(m.type).toEqual(type);
    expect(m.note).toMatch(/^TODO: the column is .*, feedctl's is /);
  });

  it('keeps nullability, skips the columns feedctl adds, and keeps the collation of the table', () => {
    const fields = NOUVEAU.columns.map((c) => fieldFromColumn(c, ['field1'])).filter((f) => f !== null);
    expect(fields).toEqual([
      // A key string is exact by default: the runbook's table compares it with unicode_ci, so it says so.
      { name: 'field1', type: { kind: 'string', maxLength: 255 }, nullable: false, collation: 'unicode_ci' },
      { name: 'field2', type: { kind: 'decimal', precision: 15, scale: 2 }, nullable: true },
      { name: 'field3', type: { kind: 'string', maxLength: 100 }, nullable: true },
    ]);
    const lineage = ['_event_time', '_kafka_partition', '_kafka_offset'].map((name): ColumnRow => ({
      name,
      columnType: 'int',
      nullable: false,
      collation: null,
    }));
    expect(lineage.map((c) => fieldFromColumn(c, []))).toEqual([null, null, null]);
  });

  it('writes exact only where the default would be unicode_ci, and notes unknown collations', () => {
    const col = (collation: string): ColumnRow => ({
      name: 'a',
      columnType: 'varchar(9)',
      nullable: false,
      collation,
    });
    expect(fieldFromColumn(col('utf8mb4_nopad_bin'), [])?.collation).toBe('exact');
    expect(fieldFromColumn(col('utf8mb4_nopad_bin'), ['a'])?.collation).toBeUndefined();
    expect(fieldFromColumn(col('latin1_swedish_ci'), [])?.note).toMatch(/collation latin1_swedish_ci/);
  });

  it('notes a column no field can keep (a reserved word)', () => {
    const c: ColumnRow = { name: 'order', columnType: 'int(11)', nullable: false, collation: null };
    expect(fieldFromColumn(c, [])?.note).toMatch(/^TODO: column order is a MySQL reserved word/);
  });

  it('takes the key from the unique key minus the snapshot columns', () => {
    expect(keyFromIndexes(NOUVEAU.indexes)).toEqual(['field1']);
    expect(keyFromIndexes(NOUVEAU.indexes.filter((i) => !i.unique))).toEqual([]);
  });
});

const registryRow = {
  feed_name: 'nouveau_feed',
  feed_type: 'stream',
  kafka_topic: 'nouveau_topic_kafka',
  partitioning_strategy: 'date',
  compression: 'snappy',
  schema_definition: '{"fields": ["field1", "field2"]}',
  enabled: 1,
  destination: 'data_lake',
  warehouse_table: null,
  policy: 'nouveau_feed',
  retention_days: 90,
  retention_versions: null,
  auto_delete: 1,
};

function facts(over: Partial<ImportFacts> = {}): ImportFacts {
  return {
    feed: runbookFeed(registryRow),
    entry: null,
    schema: null,
    topic: { name: 'nouveau_topic_kafka', partitions: 3, replicationFactor: 1, configs: {} },
    table: null,
    missingTable: null,
    sampled: null,
    defaultReplicationFactor: 1,
    ...over,
  };
}

describe('registry row + kafka_config.py entry → draft', () => {
  it('reads the runbook schema_definition as names', () => {
    expect(schemaFieldNames('{"fields": ["field1", "field2"]}')).toEqual(['field1', 'field2']);
    expect(schemaFieldNames({ fields: [{ name: 'a' }] })).toEqual(['a']);
    expect(schemaFieldNames('not json')).toEqual([]);
    expect(schemaFieldNames(null)).toEqual([]);
  });

  it('reads a registry row made before feedctl migrate up (none of its columns, no policy)', () => {
    const bare = {
      feed_name: 'f',
      feed_type: 'stream',
      kafka_topic: 't',
      partitioning_strategy: 'date',
      policy: null,
    };
    expect(runbookFeed(bare)).toMatchObject({
      enabled: true,
      destination: null,
      warehouseTable: null,
      retention: null,
    });
  });

  it('declares the runbook feed with its table as it is, adopting topic and table', () => {
    const d = buildDraft(
      facts({
        topic: {
          name: 'nouveau_topic_kafka',
          partitions: 3,
          replicationFactor: 1,
          configs: { 'retention.ms': '604800000' },
        },
        table: { rows: NOUVEAU, source: 'convention' },
      }),
    );
    expect(d).toMatchObject({
      name: 'nouveau_feed',
      type: 'stream',
      topic: {
        name: 'nouveau_topic_kafka',
        partitions: 3,
        configs: { 'retention.ms': '604800000' },
        adopt: true,
      },
      key: ['field1'],
      lake: true,
      warehouse: { table: 'fact_nouveau_feed', adopt: true },
      retention: { days: 90 },
      enabled: true,
    });
    expect(d.topic.replicationFactor).toBeUndefined();
    expect(d.fields.map((f) => f.name)).toEqual(['field1', 'field2', 'field3']);
    expect(d.notes.join('\n')).toMatch(/found by the runbook's naming/);
  });

  it('follows kafka_config.py: destination, enabled, mysql_table, key_field; the registry keeps the type', () => {
    const d = buildDraft(
      facts({
        entry: {
          topic: 'nouveau_topic_kafka',
          feedType: 'table',
          destination: 'data_warehouse',
          mysqlTable: 'fact_x',
          enabled: false,
        },
        schema: { fields: ['field1', 'field2', 'field3', 'timestamp'], keyField: 'field1' },
        missingTable: 'fact_x',
      }),
    );
    expect(d.type).toBe('stream');
    expect(d.notes.join('\n')).toMatch(/kafka_config.py says table/);
    expect(d.lake).toBe(false);
    expect(d.warehouse).toEqual({ table: 'fact_x' });
    expect(d.enabled).toBe(false);
    expect(d.key).toEqual(['field1']);
    expect(d.fields[0]).toMatchObject({
      name: 'field1',
      nullable: false,
      type: { kind: 'string', maxLength: 255 },
    });
    expect(d.fields.slice(1).every((f) => f.nullable && f.note?.startsWith('TODO'))).toBe(true);
  });

  it('maps runbook names that cannot be columns to another column', async () => {
    const d = buildDraft(facts({ schema: { fields: ['id', 'customerId'], keyField: 'id' } }));
    expect(d.fields.map((f) => [f.name, f.column])).toEqual([
      ['id', 'source_id'],
      ['customerId', 'customer_id'],
    ]);
    expect(d.key).toEqual(['id']);
    const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-import-unit-'));
    writeFileSync(path.join(dir, 'nouveau_feed.yaml'), renderManifest(d));
    expect((await loadFeeds([dir])).diagnostics).toEqual([]);
  });

  it('falls back to the registry schema_definition names, then to sampled fields first', () => {
    expect(buildDraft(facts()).fields.map((f) => f.name)).toEqual(['field1', 'field2']);
    const fields = [
      { name: 's', type: { kind: 'int' as const }, nullable: false },
      { name: 'field1', type: { kind: 'string' as const, maxLength: 8 }, nullable: false },
      { name: 'at', type: { kind: 'timestamp' as const }, nullable: false },
    ];
    const sampled = {
      fields,
      key: ['s'],
      eventTime: 'at',
      notes: ['1 of 3 sampled messages were not JSON objects'],
    };
    const d = buildDraft(facts({ sampled }));
    expect(d).toMatchObject({ fields, key: ['s'], eventTime: 'at' });
    expect(d.notes).toContain('1 of 3 sampled messages were not JSON objects');
    const withKeyField = buildDraft(facts({ sampled, schema: { fields: [], keyField: 'field1' } }));
    expect(withKeyField.key).toEqual(['field1']);
  });

  it('writes retention versions for table feeds and a replication factor other than the default', () => {
    const feed = runbookFeed({
      ...registryRow,
      feed_type: 'table',
      retention_days: null,
      retention_versions: 5,
      auto_delete: 0,
    });
    const d = buildDraft(
      facts({ feed, topic: { name: 't', partitions: 1, replicationFactor: 3, configs: {} } }),
    );
    expect(d.retention).toEqual({ versions: 5, autoDelete: false });
    expect(d.topic.replicationFactor).toBe(3);
  });

  it('renders a manifest that validates', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-import-unit-'));
    const d = buildDraft(facts({ table: { rows: NOUVEAU, source: 'kafka_config' } }));
    writeFileSync(path.join(dir, 'nouveau_feed.yaml'), renderManifest(d));
    const r = await loadFeeds([dir]);
    expect(r.diagnostics).toEqual([]);
    expect(r.feeds[0]?.schema.fields[0]).toMatchObject({ name: 'field1', collation: 'unicode_ci' });
  });
});

describe('topic configs', () => {
  it('keeps the topic-level overrides a manifest may manage', () => {
    const entries = [
      { configName: 'retention.ms', configValue: '604800000', configSource: 1 },
      { configName: 'compression.type', configValue: 'snappy', configSource: 1 },
      { configName: 'segment.bytes', configValue: '1073741824', configSource: 5 },
      { configName: 'not.a.topic.config', configValue: 'x', configSource: 1 },
    ];
    expect(managedConfigs(entries)).toEqual({ 'compression.type': 'snappy', 'retention.ms': '604800000' });
  });
});

describe('kafka_config.py', () => {
  it('reads the fixture through python3 without executing it', async () => {
    const kc = await readKafkaConfig(FIXTURE);
    expect(existsSync('test/fixtures/runbook/EXECUTED')).toBe(false);
    expect(kc.topics).toEqual([
      {
        topic: 'nouveau_topic_kafka',
        feedType: 'stream',
        destination: 'both',
        mysqlTable: 'fact_nouveau_feed',
        enabled: true,
      },
      {
        topic: 'customer_events',
        feedType: 'stream',
        destination: 'data_lake',
        mysqlTable: null,
        enabled: true,
      },
    ]);
    expect(kc.schemas.nouveau_topic_kafka).toEqual({
      fields: ['field1', 'field2', 'field3', 'timestamp'],
      keyField: 'field1',
    });
  });

  it('refuses a file that is not literals, and a missing python3, with a FeedctlError', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-kc-'));
    const bad = path.join(dir, 'kafka_config.py');
    writeFileSync(bad, 'KAFKA_TOPICS = build_topics()\n');
    await expect(readKafkaConfig(bad)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(readKafkaConfig(FIXTURE, 'python3-not-installed')).rejects.toThrow(/is not installed/);
  });

  it('checks the shape and applies the runbook defaults', () => {
    expect(() => parseKafkaConfig({ KAFKA_TOPICS: { streams: [{ feed_type: 'stream' }] } }, 'k.py')).toThrow(
      /unexpected KAFKA_TOPICS/,
    );
    expect(parseKafkaConfig({ KAFKA_TOPICS: { tables: [{ topic: 't' }] } }, 'k.py').topics).toEqual([
      { topic: 't', feedType: 'table', destination: 'data_lake', mysqlTable: null, enabled: true },
    ]);
  });
});
