import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withMysql } from '../../../src/clients/mysql.js';
import { quoteIdent } from '../../../src/sql/ident.js';

const env = useTestEnv('rc_readonly');
const fc = useFeedctl(env);
const user = `ft_ro_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');

/** Runs SQL as root on the server. */
const root = (sql: string) => withMysql(env.config, (c) => c.query(sql), { withDatabase: false });

describe('reconcile --dry-run with read-only credentials', () => {
  beforeAll(async () => {
    const topic = env.topic('ro');
    fc.writeFeed('ro', feedYaml({ name: 'ro', topic, table: 'fact_ro', roles: [env.role('ro_reader')] }));
    expect((await fc.cli('reconcile')).code).toBe(0);
    fc.writeFeed('ro', feedYaml({ name: 'ro', topic, table: 'fact_ro', partitions: 3 }));
    const db = quoteIdent(env.config.mysql.database);
    await root(`CREATE USER ${quoteIdent(user)}@'%' IDENTIFIED BY '${password}'`);
    await root(`GRANT SELECT ON ${db}.* TO ${quoteIdent(user)}@'%'`);
    await root(`GRANT SELECT ON mysql.user TO ${quoteIdent(user)}@'%'`);
    await root(`GRANT SELECT ON mysql.tables_priv TO ${quoteIdent(user)}@'%'`);
  });
  afterAll(async () => {
    await root(`DROP USER IF EXISTS ${quoteIdent(user)}@'%'`);
  });

  it('plans with SELECT-only privileges, and the password never appears in the output', async () => {
    const c = env.config;
    fc.writeConfig(
      `kafka:\n  brokers: [${c.kafka.brokers.join(', ')}]\nmysql:\n  url: mysql://${user}:${password}@127.0.0.1:3306\n  database: ${c.mysql.database}\nfeedsDir: ${fc.feedsDir}\n`,
    );
    const r = await fc.cli('reconcile', '--dry-run', '--detailed-exitcode', '-o', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(2);
    const plan = JSON.parse(r.stdout) as { changes: Array<{ action: string; kind: string }> };
    expect(plan.changes.map((x) => `${x.action} ${x.kind}`)).toContain('update topic');
    expect(r.stdout + r.stderr).not.toContain(password);

    fc.writeConfig();
    expect((await fc.cli('reconcile')).code).toBe(0);
    await fc.expectConverged();
  });
});
