import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { withAdmin } from '../../../src/clients/kafka.js';

const env = useTestEnv('rc_dryrun');
const fc = useFeedctl(env);

/**
 * Everything a dry-run could touch of this test's own, as comparable text: which of `topics` exist, with partitions
 * and configs; this test's database's tables with checksums, grants and columns. Other test files share the
 * broker, so their topics are left out.
 */
async function snapshot(topics: string[]): Promise<string> {
  const kafka = await withAdmin(env.config, async (a) => {
    const mine = new Set(topics);
    const names = (await a.listTopics()).filter((t) => mine.has(t)).sort();
    const meta = await a.fetchTopicMetadata({ topics: names });
    const configs = names.length
      ? await a.describeConfigs({
          includeSynonyms: false,
          resources: names.map((name) => ({ type: 2, name })),
        })
      : { resources: [] };
    return {
      names,
      meta: meta.topics.map((t) => [t.name, t.partitions.length]).sort(),
      configs: configs.resources
        .map((r) => [r.resourceName, r.configEntries.map((e) => `${e.configName}=${e.configValue}`).sort()])
        .sort(),
    };
  });
  const mysql = await withMysql(env.config, async (c) => {
    const [tables] = await c.query<RowDataPacket[]>(
      'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1',
    );
    const sums = [];
    for (const t of tables) {
      const [r] = await c.query<RowDataPacket[]>(`CHECKSUM TABLE \`${String(t.t)}\``);
      sums.push([t.t, r[0]?.Checksum]);
    }
    const [grants] = await c.query<RowDataPacket[]>(
      'SELECT * FROM information_schema.table_privileges WHERE table_schema = DATABASE() ORDER BY 1, 2, 3, 4, 5',
    );
    const [cols] = await c.query<RowDataPacket[]>(
      'SELECT table_name, column_name, column_type FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY 1, 2',
    );
    return { sums, grants, cols };
  });
  return JSON.stringify({ kafka, mysql });
}

describe('reconcile --dry-run', () => {
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('dry');
    const reader = env.role('dry');
    fc.writeFeed('dry', feedYaml({ name: 'dry', topic, table: 'fact_dry', roles: [reader] }));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it('leaves Kafka, MySQL and the audit log byte-for-byte untouched while changes are pending', async () => {
    const other = env.topic('dry2');
    fc.writeFeed(
      'dry',
      feedYaml({
        name: 'dry',
        topic,
        table: 'fact_dry',
        partitions: 3,
        fields: ['{name: extra, type: int, nullable: true}'],
        configs: { 'retention.ms': '1000000' },
      }),
    );
    fc.writeFeed('dry2', feedYaml({ name: 'dry2', topic: other, table: 'fact_dry2' }));
    const own = [topic, `${topic}-dlq`, other, `${other}-dlq`];
    const before = await snapshot(own);
    expect(JSON.parse(before).kafka.names).toEqual([topic, `${topic}-dlq`].sort());
    const dry = await fc.cli('reconcile', '--dry-run', '--detailed-exitcode');
    expect(dry.code).toBe(2);
    expect(await snapshot(own)).toBe(before);
    expect((await fc.cli('reconcile')).code).toBe(0);
    const after = await snapshot(own);
    expect(after).not.toBe(before);
    expect(JSON.parse(after).kafka.names).toEqual([...own].sort());
    await fc.expectConverged();
  });
});
