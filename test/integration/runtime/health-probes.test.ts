/**
 * The readiness probes on the real servers: a database without the control-plane migrations is reachable but not
 * ready until `migrate up`; probing again and again holds no more than the probes' two MySQL connections, and
 * close() lets them go.
 */
import { describe, expect, it } from 'vitest';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { migrateUp, sqlMigrations } from '../../../src/control/migrate.js';
import { CheckRunner } from '../../../src/health/checks.js';
import { readinessProbes } from '../../../src/health/probes.js';
import { useTestEnv } from '../../helpers/env.js';
import { waitUntil } from '../../helpers/runtime.js';

const env = useTestEnv('rt_health_probes');

/** Connections to this test's database. */
async function connections(): Promise<number> {
  return withMysql(
    env.config,
    async (c) => {
      const [rows] = await c.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ?',
        [env.config.mysql.database],
      );
      return Number(rows[0]?.n);
    },
    { withDatabase: false },
  );
}

describe('readiness probes', () => {
  it('say which command creates a missing database', async () => {
    const missing = {
      ...env.config,
      mysql: { ...env.config.mysql, database: `${env.config.mysql.database}_x` },
    };
    const probes = readinessProbes(missing);
    try {
      const reports = await new CheckRunner().runAll(probes.checks);
      const detail = `mysql: probe ${missing.mysql.database}: database ${missing.mysql.database} does not exist (feedctl migrate up creates it)`;
      expect(reports.slice(1)).toEqual([
        { name: 'mysql', ok: false, detail },
        { name: 'migrations', ok: false, detail },
      ]);
    } finally {
      await probes.close();
    }
  });

  it('say not ready until the migrations are applied, and hold two connections at most', async () => {
    const probes = readinessProbes(env.config);
    const runner = new CheckRunner();
    try {
      const before = await runner.runAll(probes.checks);
      expect(before.map((r) => `${r.name} ${r.ok}`)).toEqual([
        'kafka true',
        'mysql true',
        'migrations false',
      ]);
      const all = sqlMigrations().map((m) => m.name);
      expect(before[2]?.detail).toBe(`${all.length} pending: ${all.join(', ')} (feedctl migrate up)`);

      await migrateUp(env.config);
      for (let i = 0; i < 30; i++) {
        const after = await runner.runAll(probes.checks);
        expect(after.every((r) => r.ok)).toBe(true);
      }
      expect(await connections()).toBeLessThanOrEqual(2);
    } finally {
      await probes.close();
    }
    await waitUntil('the probes connections closed', async () => (await connections()) === 0, 10_000, 200);
  });
});
