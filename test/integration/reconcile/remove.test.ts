import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { withAdmin } from '../../../src/clients/kafka.js';

const env = useTestEnv('rc_remove');
const fc = useFeedctl(env);

async function state(topic: string) {
  const topics = await withAdmin(env.config, (a) => a.listTopics());
  return withMysql(env.config, async (c) => {
    const [t] = await c.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'fact_gone'",
    );
    const [r] = await c.query<RowDataPacket[]>("SELECT enabled FROM feed_registry WHERE feed_name = 'gone'");
    return { topic: topics.includes(topic), table: Number(t[0]?.n) === 1, enabled: r[0]?.enabled };
  });
}

describe('a removed manifest', () => {
  let topic: string;
  let kept: string;
  beforeAll(async () => {
    topic = env.topic('gone');
    kept = env.topic('kept');
    fc.writeFeed('gone', feedYaml({ name: 'gone', topic, table: 'fact_gone' }));
    fc.writeFeed('kept', feedYaml({ name: 'kept', topic: kept }));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it('disables the feed and keeps its topic, table and data', async () => {
    await withMysql(env.config, (c) =>
      c.query(
        "INSERT INTO fact_gone (customer_id, occurred_at, snapshot_date, snapshot_version, _event_time, _kafka_partition, _kafka_offset) VALUES ('c1', NOW(3), CURDATE(), 0, NOW(3), 0, 1)",
      ),
    );
    fc.removeFeed('gone');
    const dry = await fc.cli('reconcile', '--dry-run', '-o', 'json');
    const plan = JSON.parse(dry.stdout) as { changes: Array<{ kind: string; action: string; id: string }> };
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.id}`).sort()).toEqual([
      'delete consumer gone',
      'update registry gone',
    ]);
    expect((await fc.cli('reconcile')).code).toBe(0);
    expect(await state(topic)).toEqual({ topic: true, table: true, enabled: 0 });
    await fc.expectConverged();
  });

  it('--prune is destructive: blocked alone, removes topic and table with --allow-destructive', async () => {
    const blocked = await fc.cli('reconcile', '--prune', '--dry-run', '--detailed-exitcode');
    expect(blocked.code).toBe(3);
    expect((await fc.cli('reconcile', '--prune', '--allow-destructive')).code).toBe(0);
    const after = await state(topic);
    expect(after).toMatchObject({ topic: false, table: false });
    const topics = await withAdmin(env.config, (a) => a.listTopics());
    expect(topics).toContain(kept);
    await fc.expectConverged();
  });
});
