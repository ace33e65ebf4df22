import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';

const env = useTestEnv('rc_evolution');
const fc = useFeedctl(env);

type PlanJson = {
  blocked: boolean;
  changes: Array<{ kind: string; action: string; id: string; destructive: boolean }>;
};

describe('schema evolution', () => {
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('evo');
    fc.writeFeed('evo', feedYaml({ name: 'evo', topic, table: 'fact_evo' }));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it('adding a nullable field plans one ADD COLUMN and restarts the consumers', async () => {
    fc.writeFeed(
      'evo',
      feedYaml({
        name: 'evo',
        topic,
        table: 'fact_evo',
        fields: ['{name: channel, type: string, maxLength: 32, nullable: true}'],
      }),
    );
    const dry = await fc.cli('reconcile', '--dry-run', '-o', 'json');
    const plan = JSON.parse(dry.stdout) as PlanJson;
    const columns = plan.changes.filter((c) => c.kind === 'column');
    expect(columns).toEqual([
      expect.objectContaining({ action: 'create', id: 'fact_evo.channel', destructive: false }),
    ]);
    expect(plan.changes.filter((c) => c.kind === 'table')).toEqual([]);
    expect(plan.changes).toContainEqual(
      expect.objectContaining({ kind: 'consumer', action: 'update', id: 'evo' }),
    );
    expect((await fc.cli('reconcile')).code).toBe(0);
    await fc.expectConverged();
  });

  it('narrowing a column is destructive: refused without --allow-destructive, applied with it', async () => {
    fc.writeFeed(
      'evo',
      feedYaml({
        name: 'evo',
        topic,
        table: 'fact_evo',
        emailLength: 50,
        fields: ['{name: channel, type: string, maxLength: 32, nullable: true}'],
      }),
    );
    const dry = await fc.cli('reconcile', '--dry-run', '--detailed-exitcode', '-o', 'json');
    expect(dry.code).toBe(3);
    const plan = JSON.parse(dry.stdout) as PlanJson;
    expect(plan.blocked).toBe(true);
    expect(plan.changes).toContainEqual(
      expect.objectContaining({ kind: 'column', action: 'update', id: 'fact_evo.email', destructive: true }),
    );

    const refused = await fc.cli('reconcile', '--detailed-exitcode');
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/allow-destructive/);
    expect((await fc.cli('reconcile', '--dry-run', '--detailed-exitcode')).code).toBe(3);

    expect((await fc.cli('reconcile', '--allow-destructive')).code).toBe(0);
    await fc.expectConverged();
  });
});
