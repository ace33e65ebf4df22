/**
 * Key columns compare byte-exact. A table whose key column still has the runbook's utf8mb4_unicode_ci (as feedctl
 * created it before) gets a planned, gated collation update with its risk; going back to a case-insensitive key
 * fails on keys that would become duplicates, as the plan warns.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';

const env = useTestEnv('rc_collation');
const fc = useFeedctl(env);

type PlanJson = {
  blocked: boolean;
  changes: Array<{
    kind: string;
    action: string;
    id: string;
    destructive: boolean;
    before: { collation?: string } | null;
    after: { collation?: string } | null;
    reason: string;
  }>;
};

const sql = (text: string, values: unknown[] = []) =>
  withMysql(env.config, async (c) => (await c.query<RowDataPacket[]>(text, values))[0]);

async function keyCollation(): Promise<string> {
  const rows = await sql(
    `SELECT collation_name AS c FROM information_schema.columns
     WHERE table_schema = DATABASE() AND table_name = 'fact_coll' AND column_name = 'customer_id'`,
  );
  return String(rows[0]?.c);
}

async function insert(key: string): Promise<void> {
  await sql(
    `INSERT INTO fact_coll (customer_id, occurred_at, snapshot_date, snapshot_version, _event_time,
       _kafka_partition, _kafka_offset) VALUES (?, '2025-01-28', '2025-01-28', 0, '2025-01-28', 0, 0)`,
    [key],
  );
}

async function plan(): Promise<{ code: number; plan: PlanJson }> {
  const r = await fc.cli('reconcile', '--dry-run', '--detailed-exitcode', '-o', 'json');
  return { code: r.code, plan: JSON.parse(r.stdout) as PlanJson };
}

describe('collation of key columns', () => {
  let topic: string;
  let exact: string;
  beforeAll(async () => {
    topic = env.topic('coll');
    fc.writeFeed('coll', feedYaml({ name: 'coll', topic, table: 'fact_coll' }));
    expect((await fc.cli('reconcile')).code).toBe(0);
    exact = await keyCollation();
  });

  it('creates string key columns with the server’s exact collation, other strings utf8mb4_unicode_ci', async () => {
    expect(['utf8mb4_nopad_bin', 'utf8mb4_0900_bin']).toContain(exact);
    const rows = await sql(
      `SELECT collation_name AS c FROM information_schema.columns
       WHERE table_schema = DATABASE() AND table_name = 'fact_coll' AND column_name = 'email'`,
    );
    expect(rows[0]?.c).toBe('utf8mb4_unicode_ci');
    await fc.expectConverged();
  });

  it('plans the old case-insensitive key column as a gated update with its reason, then applies it', async () => {
    await sql(
      'ALTER TABLE fact_coll MODIFY customer_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL',
    );
    await insert('abc');
    const { code, plan: p } = await plan();
    expect(code).toBe(3);
    expect(p.blocked).toBe(true);
    expect(p.changes).toEqual([
      expect.objectContaining({
        kind: 'column',
        action: 'update',
        id: 'fact_coll.customer_id',
        destructive: true,
        before: expect.objectContaining({ collation: 'utf8mb4_unicode_ci' }) as unknown,
        after: expect.objectContaining({ collation: exact }) as unknown,
      }),
    ]);
    expect(p.changes[0]?.reason).toContain('byte-exact');
    const text = await fc.cli('reconcile', '--dry-run');
    expect(text.stdout).toContain('rows already merged stay merged');

    expect((await fc.cli('reconcile', '--detailed-exitcode')).code).toBe(3);
    expect(await keyCollation()).toBe('utf8mb4_unicode_ci');
    expect((await fc.cli('reconcile', '--allow-destructive')).code).toBe(0);
    expect(await keyCollation()).toBe(exact);
    await insert('ABC');
    await insert('abc ');
    await insert('àbc');
    expect((await sql('SELECT HEX(customer_id) AS h FROM fact_coll ORDER BY h')).map((r) => r.h)).toEqual([
      '414243',
      '616263',
      '61626320',
      'C3A06263',
    ]);
    await fc.expectConverged();
  });

  it('a case-insensitive key is a manifest choice; it fails on keys that would become one, as planned', async () => {
    const yaml = feedYaml({ name: 'coll', topic, table: 'fact_coll' }).replace(
      '{name: customer_id, type: string, maxLength: 64}',
      '{name: customer_id, type: string, maxLength: 64, collation: unicode_ci}',
    );
    fc.writeFeed('coll', yaml);
    const { code, plan: p } = await plan();
    expect(code).toBe(3);
    expect(p.changes).toEqual([expect.objectContaining({ id: 'fact_coll.customer_id', destructive: true })]);
    expect(p.changes[0]?.reason).toContain('fails if existing keys are duplicates under utf8mb4_unicode_ci');
    const failed = await fc.cli('reconcile', '--allow-destructive');
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toMatch(/duplicate/i);
    expect(await keyCollation()).toBe(exact);

    await sql("DELETE FROM fact_coll WHERE customer_id <> 'abc'");
    expect((await fc.cli('reconcile', '--allow-destructive')).code).toBe(0);
    expect(await keyCollation()).toBe('utf8mb4_unicode_ci');
    await fc.expectConverged();
  });
});
