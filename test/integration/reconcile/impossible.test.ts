import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';

const env = useTestEnv('rc_impossible');
const fc = useFeedctl(env);

async function auditRows(): Promise<number> {
  return withMysql(env.config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM audit_log');
    return Number(r[0]?.n);
  });
}

describe('impossible changes', () => {
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('shrink');
    fc.writeFeed('shrink', feedYaml({ name: 'shrink', topic, partitions: 4 }));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it('a partition decrease is a plan error with the reason and the way out; nothing is applied; exit 1', async () => {
    fc.writeFeed(
      'shrink',
      feedYaml({ name: 'shrink', topic, partitions: 2, configs: { 'retention.ms': '86400000' } }),
    );
    const before = await auditRows();
    const dry = await fc.cli('reconcile', '--dry-run', '--detailed-exitcode');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/partition/i);
    expect(dry.stdout).toMatch(/4/);

    const apply = await fc.cli('reconcile');
    expect(apply.code).toBe(1);
    expect(await auditRows()).toBe(before);

    fc.writeFeed('shrink', feedYaml({ name: 'shrink', topic, partitions: 4 }));
    await fc.expectConverged();
  });
});
