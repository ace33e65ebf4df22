import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withAdmin } from '../../../src/clients/kafka.js';

const env = useTestEnv('rc_planfile');
const fc = useFeedctl(env);

describe('reconcile --plan-file', () => {
  let topic: string;
  beforeAll(() => {
    topic = env.topic('pf');
    fc.writeFeed('pf', feedYaml({ name: 'pf', topic }));
  });

  it('applies a saved plan while the world still matches it', async () => {
    const file = path.join(fc.feedsDir, '..', 'plan.json');
    expect((await fc.cli('reconcile', '--dry-run', '--save-plan', file)).code).toBe(0);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { id: string; changes: unknown[] };
    expect(saved.changes.length).toBeGreaterThan(0);
    const r = await fc.cli('reconcile', '--plan-file', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply complete');
    await fc.expectConverged();
  });

  it('refuses a saved plan once the world has changed', async () => {
    fc.writeFeed('pf', feedYaml({ name: 'pf', topic, configs: { 'retention.ms': '7200000' } }));
    const file = path.join(fc.feedsDir, '..', 'plan2.json');
    expect((await fc.cli('reconcile', '--dry-run', '--save-plan', file)).code).toBe(0);
    await withAdmin(env.config, (a) =>
      a.alterConfigs({
        validateOnly: false,
        resources: [{ type: 2, name: topic, configEntries: [{ name: 'retention.ms', value: '7200000' }] }],
      }),
    );
    const r = await fc.cli('reconcile', '--plan-file', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/saved plan|differs|extra change/);
    await fc.expectConverged();
  });
});
