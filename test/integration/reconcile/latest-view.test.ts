/**
 * The `<table>_latest` view of a table feed against the real server: it shows exactly the latest version the
 * snapshot ledger marks published for the warehouse, follows the table's columns, is re-created when dropped by
 * hand, is readable through the feed's roles without access to the ledger, and goes only with --prune.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { quoteIdent } from '../../../src/sql/ident.js';

const env = useTestEnv('rc_latest_view');
const fc = useFeedctl(env);
const user = `ft_lv_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');

type PlanJson = { changes: Array<{ kind: string; action: string; id: string; reason: string }> };

const sql = <T = RowDataPacket[]>(text: string, values: unknown[] = []) =>
  withMysql(env.config, async (c) => (await c.query(text, values))[0] as T);

/** The versions the view shows, with their row counts. */
async function shown(): Promise<Record<number, number>> {
  const rows = await sql(
    'SELECT snapshot_version AS v, COUNT(*) AS n FROM dim_snap_latest GROUP BY snapshot_version',
  );
  return Object.fromEntries(rows.map((r) => [Number(r.v), Number(r.n)]));
}

async function insertVersion(version: number, rows: number): Promise<void> {
  for (let i = 0; i < rows; i++) {
    await sql(
      `INSERT INTO dim_snap (customer_id, occurred_at, snapshot_date, snapshot_version, _event_time,
       _kafka_partition, _kafka_offset) VALUES (?, NOW(3), CURDATE(), ?, NOW(3), 0, ?)`,
      [`c${i}`, version, version * 100 + i],
    );
  }
}

const ledger = (version: number, destination: string, state: string, feed = 'snap') =>
  sql(
    `INSERT INTO feedctl_snapshots (feed_name, version, destination, state, partitions) VALUES (?, ?, ?, ?, 1)
     ON DUPLICATE KEY UPDATE state = VALUES(state)`,
    [feed, version, destination, state],
  );

async function plan(): Promise<PlanJson['changes']> {
  const r = await fc.cli('reconcile', '--dry-run', '-o', 'json');
  return (JSON.parse(r.stdout) as PlanJson).changes;
}

const summary = (changes: PlanJson['changes']) => changes.map((c) => `${c.action} ${c.kind} ${c.id}`);

describe('the latest view of a table feed', () => {
  let topic: string;
  let role: string;
  const manifest = (fields: string[] = []) =>
    feedYaml({ name: 'snap', type: 'table', topic, table: 'dim_snap', roles: [role], fields });

  beforeAll(async () => {
    topic = env.topic('snap');
    role = env.role('snapr');
    fc.writeFeed('snap', manifest());
    expect(summary(await plan())).toEqual(expect.arrayContaining(['create view dim_snap_latest']));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });
  afterAll(async () => {
    await withMysql(env.config, (c) => c.query(`DROP USER IF EXISTS ${quoteIdent(user)}@'%'`), {
      withDatabase: false,
    });
  });

  it('shows the latest published warehouse version only, switching when the next one is published', async () => {
    await insertVersion(1, 3);
    await insertVersion(2, 2);
    expect(await shown()).toEqual({});
    await ledger(1, 'warehouse', 'published');
    await ledger(2, 'warehouse', 'open');
    await ledger(2, 'lake', 'published');
    await ledger(9, 'warehouse', 'published', 'another_feed');
    expect(await shown()).toEqual({ 1: 3 });
    await ledger(2, 'warehouse', 'published');
    expect(await shown()).toEqual({ 2: 2 });
    await fc.expectConverged();
  });

  it('a field added to the manifest adds the column, then re-creates the view with it', async () => {
    fc.writeFeed('snap', manifest(['{name: channel, type: string, maxLength: 32, nullable: true}']));
    const changes = summary(await plan());
    const column = changes.indexOf('create column dim_snap.channel');
    const view = changes.indexOf('update view dim_snap_latest');
    expect(column).toBeGreaterThanOrEqual(0);
    expect(view).toBeGreaterThan(column);
    expect((await fc.cli('reconcile')).code).toBe(0);
    await fc.expectConverged();
    const columns = await sql(
      "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'dim_snap_latest'",
    );
    expect(columns.map((r) => String(r.c))).toContain('channel');
    expect(await shown()).toEqual({ 2: 2 });
  });

  it('a view dropped by hand is drift: planned for creation (with its grant), then back', async () => {
    await sql('DROP VIEW dim_snap_latest');
    const changes = await plan();
    expect(summary(changes)).toEqual(['create view dim_snap_latest', `create grant ${role}@dim_snap_latest`]);
    expect(changes[0]?.reason).toMatch(/^drift/);
    expect((await fc.cli('reconcile')).code).toBe(0);
    await fc.expectConverged();
    expect(await shown()).toEqual({ 2: 2 });
  });

  it("the feed's roles read the view, without any access to the ledger", async () => {
    const grants = await sql(
      'SELECT Table_name AS t FROM mysql.tables_priv WHERE User = ? AND Db = DATABASE() ORDER BY Table_name',
      [role],
    );
    expect(grants.map((r) => String(r.t))).toEqual(['dim_snap', 'dim_snap_latest']);
    await withMysql(
      env.config,
      async (c) => {
        await c.query(`CREATE USER ${quoteIdent(user)}@'%' IDENTIFIED BY '${password}'`);
        await c.query(`GRANT ${quoteIdent(role)} TO ${quoteIdent(user)}@'%'`);
      },
      { withDatabase: false },
    );
    const url = `mysql://${user}:${password}@127.0.0.1:3306`;
    const reader = { ...env.config, mysql: { ...env.config.mysql, url } };
    const db = quoteIdent(env.config.mysql.database);
    await withMysql(
      reader,
      async (c) => {
        await c.query(`SET ROLE ${quoteIdent(role)}`);
        const [rows] = await c.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${db}.dim_snap_latest`);
        expect(Number(rows[0]?.n)).toBe(2);
        await expect(c.query(`SELECT COUNT(*) FROM ${db}.feedctl_snapshots`)).rejects.toThrow();
      },
      { withDatabase: false },
    );
  });

  it('stays when the manifest is removed; --prune drops it before its table', async () => {
    fc.removeFeed('snap');
    expect(summary(await plan()).filter((c) => c.includes('view'))).toEqual([]);
    expect((await fc.cli('reconcile')).code).toBe(0);
    expect(await shown()).toEqual({ 2: 2 });
    const pruned = await fc.cli('reconcile', '--prune', '--allow-destructive', '--dry-run', '-o', 'json');
    const changes = summary((JSON.parse(pruned.stdout) as PlanJson).changes);
    expect(changes.indexOf('delete view dim_snap_latest')).toBeGreaterThanOrEqual(0);
    expect(changes.indexOf('delete view dim_snap_latest')).toBeLessThan(
      changes.indexOf('delete table dim_snap'),
    );
    expect((await fc.cli('reconcile', '--prune', '--allow-destructive')).code).toBe(0);
    const left = await sql(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'dim_snap%'",
    );
    expect(left).toEqual([]);
    await fc.expectConverged();
  });
});
