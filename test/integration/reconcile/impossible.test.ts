import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { withAdmin } from '../../../src/clients/kafka.js';

const env = useTestEnv('rc_impossible');
const fc = useFeedctl(env);

async function auditRows(): Promise<number> {
  return withMysql(env.config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM audit_log');
    return Number(r[0]?.n);
  });
}

async function partitions(topic: string): Promise<number> {
  return withAdmin(env.config, async (a) => {
    const meta = await a.fetchTopicMetadata({ topics: [topic] });
    return meta.topics[0]?.partitions.length ?? 0;
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
    const reason = `cannot decrease partitions of ${topic} from 4 to 2: Kafka cannot remove partitions`;
    const wayOut =
      'keep partitions: 4 in the manifest, or create a new topic with 2 partitions and move producers and consumers to it';
    expect(dry.stdout).toContain(`  ! topic ${topic}: ${reason}\n      way out: ${wayOut}\n`);
    expect(dry.stdout).toContain('Plan: 0 to create, 1 to update, 0 to adopt, 0 to delete; 1 error.\n');
    const json = await fc.cli('reconcile', '--dry-run', '-o', 'json');
    expect((JSON.parse(json.stdout) as { errors: unknown[] }).errors).toEqual([
      { kind: 'topic', id: topic, feed: 'shrink', message: reason, remedy: wayOut },
    ]);

    const apply = await fc.cli('reconcile');
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain(`  ! topic ${topic}: ${reason}\n`);
    expect(apply.stdout).toContain('Nothing can be applied until the plan errors are fixed.');
    expect(await auditRows()).toBe(before);
    expect(await partitions(topic)).toBe(4);

    fc.writeFeed('shrink', feedYaml({ name: 'shrink', topic, partitions: 4 }));
    await fc.expectConverged();
  });
});
