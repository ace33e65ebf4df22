import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withMysql } from '../../../src/clients/mysql.js';
import { withAdmin } from '../../../src/clients/kafka.js';
import { quoteIdent } from '../../../src/sql/ident.js';

const env = useTestEnv('rc_drift');
const fc = useFeedctl(env);

describe('drift made by hand', () => {
  let topic: string;
  let role: string;
  beforeAll(async () => {
    topic = env.topic('drift');
    role = env.role('reader');
    fc.writeFeed('drifty', feedYaml({ name: 'drifty', topic, table: 'fact_drifty', roles: [role] }));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it('shows exactly the changed topic config and the dropped grant, then heals', async () => {
    await withAdmin(env.config, (a) =>
      a.alterConfigs({
        validateOnly: false,
        resources: [{ type: 2, name: topic, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
      }),
    );
    await withMysql(env.config, (c) =>
      c.query(
        `REVOKE SELECT ON ${quoteIdent(env.config.mysql.database)}.\`fact_drifty\` FROM ${quoteIdent(role)}`,
      ),
    );

    const dry = await fc.cli('reconcile', '--dry-run', '--detailed-exitcode', '-o', 'json');
    expect(dry.code).toBe(2);
    const plan = JSON.parse(dry.stdout) as { changes: Array<{ kind: string; action: string; id: string }> };
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.id}`).sort()).toEqual([
      `create grant ${role}@fact_drifty`,
      `update topic ${topic}`,
    ]);

    const text = await fc.cli('reconcile', '--dry-run');
    expect(text.stdout).toContain('3600000');
    expect(text.stdout).toContain('604800000');

    expect((await fc.cli('reconcile')).code).toBe(0);
    await fc.expectConverged();
  });
});
