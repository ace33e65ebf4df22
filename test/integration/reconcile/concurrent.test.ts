import { beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';

const env = useTestEnv('rc_concurrent');
const fc = useFeedctl(env);

describe('two reconciles at once', () => {
  beforeAll(() => {
    for (const n of ['c1', 'c2', 'c3']) {
      const topic = env.topic(n);
      fc.writeFeed(n, feedYaml({ name: n, topic, table: `fact_${n}` }));
    }
  });

  it('exactly one applies each change; the other waits, then finds nothing to do or gives up clearly', async () => {
    const [a, b] = await Promise.all([
      fc.spawn('reconcile', '--lock-timeout', '1'),
      fc.spawn('reconcile', '--lock-timeout', '1'),
    ]);
    const outcomes = [a, b].map((r) =>
      r.code === 0 && /Apply complete/.test(r.stdout)
        ? 'applied'
        : r.code === 0
          ? 'nothing'
          : /another reconcile/.test(r.stderr)
            ? 'locked'
            : `error: ${r.stderr}`,
    );
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'nothing' || o === 'locked')).toHaveLength(1);
    const dupes = await withMysql(env.config, async (c) => {
      const [r] = await c.query<RowDataPacket[]>(
        "SELECT resource_kind, resource_id, action, COUNT(*) AS n FROM audit_log WHERE outcome = 'applied' GROUP BY 1, 2, 3 HAVING n > 1",
      );
      return r;
    });
    expect(dupes).toEqual([]);
    await fc.expectConverged();
  });
});
