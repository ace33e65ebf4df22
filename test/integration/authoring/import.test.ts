/**
 * `feedctl import` on the runbook's own installation: its SQL (registry rows, retention policies, the
 * `fact_nouveau_feed` table) run through the `mariadb` client, its topics (renamed to this run's), a row stored the
 * runbook's way. The manifests import writes validate; the dry-run plan changes no data (see isDataChanging) but
 * for the id widening the reconciler chooses (WIDENED_BY_DESIGN); after apply the row is intact and the re-plan is
 * empty. Once with the database and topics only, once with the runbook's kafka_config.py.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import type { Plan } from '../../../src/reconciler/plan/types.js';
import { useTestEnv, type TestEnv } from '../../helpers/env.js';
import { useFeedctl, type FeedctlHarness } from '../../helpers/cli.js';
import { produce } from '../../helpers/runtime.js';
import { isDataChanging, mariadbClient, runbookSql, type TopicNames } from './runbook.js';

/**
 * The one data-changing change the reconciler plans on the runbook's table whatever the manifest says (a system
 * column no field describes), by its own design: the runbook's INT `id` is widened to BIGINT (not destructive;
 * every upsert takes an auto-increment value, so an INT id runs out). Nothing else may change data.
 */
const WIDENED_BY_DESIGN = ['column fact_nouveau_feed.id update int → bigint'];

const ROW = { field1: 'test', field2: '123.45', field3: 'value' };

interface Installed {
  topics: TopicNames;
}

/** The runbook's installation in env's database: migrate, its SQL, its topics, one stored row, one message. */
async function installRunbook(env: TestEnv, fc: FeedctlHarness): Promise<Installed> {
  const topics = { nouveau: env.topic('nouveau'), customerEvents: env.topic('customerevents') };
  expect((await fc.spawn('migrate', 'up')).code).toBe(0);
  const statements = runbookSql(env.config.mysql.database, topics);
  expect(statements.join('\n')).toContain(`'${topics.customerEvents}'`);
  await mariadbClient(env.config, env.config.mysql.database, statements.join('\n'));
  // The runbook's insert_nouveau_feed, for one row of its example message.
  await mariadbClient(
    env.config,
    env.config.mysql.database,
    `INSERT INTO fact_nouveau_feed (field1, field2, field3, snapshot_date, snapshot_version)
     VALUES ('${ROW.field1}', ${ROW.field2}, '${ROW.field3}', '2025-01-28', 1);`,
  );
  // Étape 3: 3 partitions, then retention.ms and compression.type set with kafka-configs.
  await env.createTopic(topics.nouveau, 3, { 'retention.ms': '604800000', 'compression.type': 'snappy' });
  await env.createTopic(topics.customerEvents, 3);
  await produce(env.config, topics.customerEvents, [
    { key: 'C123', value: '{"customer_id":"C123","event":"login","timestamp":"2025-01-28T20:00:00Z"}' },
  ]);
  return { topics };
}

async function dryRun(fc: FeedctlHarness): Promise<Plan> {
  const r = await fc.spawn('reconcile', '--dry-run', '-o', 'json');
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Plan;
}

function describeChange(c: Plan['changes'][number]): string {
  const b = (c.before ?? {}) as { type?: string; nullable?: boolean };
  const a = (c.after ?? {}) as { type?: string; nullable?: boolean };
  const what =
    b.type !== a.type
      ? `${b.type} → ${a.type}`
      : `${b.nullable ? 'nullable' : 'not null'} → ${a.nullable ? 'nullable' : 'not null'}`;
  return `${c.kind} ${c.id} ${c.action}${c.destructive ? ' DESTRUCTIVE' : ''} ${what}`;
}

async function storedRows(env: TestEnv): Promise<RowDataPacket[]> {
  return withMysql(env.config, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(
      'SELECT field1, CAST(field2 AS CHAR) AS field2, field3 FROM fact_nouveau_feed',
    );
    return rows;
  });
}

/** The checks after import: validate, plan (adoption and bookkeeping only), apply, data intact, converged. */
async function expectAdoption(env: TestEnv, fc: FeedctlHarness, topics: TopicNames): Promise<void> {
  const v = await fc.spawn('validate');
  expect(v.stdout).toContain('2 feed(s) valid in 2 file(s)');
  expect(v.code).toBe(0);
  const plan = await dryRun(fc);
  expect(plan.errors).toEqual([]);
  const adopted = plan.changes.filter((c) => c.action === 'adopt').map((c) => `${c.kind} ${c.id}`);
  expect(adopted.sort()).toEqual(
    [
      `topic ${topics.nouveau}`,
      `topic ${topics.customerEvents}`,
      'table fact_nouveau_feed',
      'registry nouveau_feed',
      'registry customer_events',
    ].sort(),
  );
  expect(plan.changes.filter(isDataChanging).map(describeChange)).toEqual(WIDENED_BY_DESIGN);
  expect(plan.blocked).toBe(false);
  const apply = await fc.spawn('reconcile');
  expect(apply.stderr).toBe('');
  expect(apply.code).toBe(0);
  expect(await storedRows(env)).toEqual([ROW]);
  await fc.expectConverged();
}

describe('feedctl import, from the database and topics', () => {
  const env = useTestEnv('import_db');
  const fc = useFeedctl(env);
  let installed: Installed;
  beforeAll(async () => {
    installed = await installRunbook(env, fc);
  });

  it('writes manifests that adopt the feeds without changing data', async () => {
    const r = await fc.spawn('import');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*customer_events\.yaml/);
    expect(r.stdout).toMatch(/wrote .*nouveau_feed\.yaml/);
    expect(r.stdout).toContain('Next: feedctl validate');
    const again = await fc.spawn('import');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/nouveau_feed\.yaml already exist.*--force overwrites/);
    expect((await fc.spawn('import', '--force')).stdout).toMatch(/wrote .*nouveau_feed\.yaml/);
    const nouveau = readFileSync(path.join(fc.feedsDir, 'nouveau_feed.yaml'), 'utf8');
    expect(nouveau).toContain('{name: field1, type: string, maxLength: 255, collation: unicode_ci}');
    expect(nouveau).toMatch(/found by the runbook's naming/);
    // No table and no schema in the registry: customer_events' fields come from a sample of its topic.
    const ce = readFileSync(path.join(fc.feedsDir, 'customer_events.yaml'), 'utf8');
    expect(ce).toMatch(/Fields inferred from a sample of topic/);
    expect(ce).toMatch(/\{name: customer_id, type: string, maxLength: \d+\}/);
    expect(ce).toMatch(/\{name: event, type: string, maxLength: \d+\}/);
    expect(ce).toContain('{name: timestamp, type: timestamp}');
    await expectAdoption(env, fc, installed.topics);
  });

  it('finds nothing left to import once the manifests manage the feeds', async () => {
    const r = await fc.spawn('import');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nothing to import');
  });
});

describe('feedctl import --kafka-config', () => {
  const env = useTestEnv('import_kc');
  const fc = useFeedctl(env);
  let installed: Installed;
  let kafkaConfig: string;
  beforeAll(async () => {
    installed = await installRunbook(env, fc);
    const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-kafka-config-'));
    kafkaConfig = path.join(dir, 'kafka_config.py');
    const fixture = readFileSync('test/fixtures/runbook/kafka_config.py', 'utf8');
    writeFileSync(
      kafkaConfig,
      fixture
        .replace(/"nouveau_topic_kafka"/g, `"${installed.topics.nouveau}"`)
        .replace(/"customer_events"/g, `"${installed.topics.customerEvents}"`),
    );
  });

  it('reads the runbook entries (never executing the file; no sample: names only) and adopts without changing data', async () => {
    const r = await fc.spawn('import', '--kafka-config', kafkaConfig, '--sample', '0');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(path.join(path.dirname(kafkaConfig), 'EXECUTED'))).toBe(false);
    const nouveau = readFileSync(path.join(fc.feedsDir, 'nouveau_feed.yaml'), 'utf8');
    expect(nouveau).not.toMatch(/found by the runbook's naming/);
    const ce = readFileSync(path.join(fc.feedsDir, 'customer_events.yaml'), 'utf8');
    expect(ce).toContain('{name: customer_id, type: string, maxLength: 255}');
    expect(ce).toMatch(/key: \[customer_id\]/);
    expect(ce).toContain('{name: event, type: string, nullable: true} # TODO: type unknown');
    await expectAdoption(env, fc, installed.topics);
  });
});
