/**
 * Message properties that cannot be columns (`id`, a reserved word, camelCase) are declared with a `column`: the
 * warehouse table and the lake's Parquet files have the columns, filled from the properties; a message without a
 * required property is dead-lettered naming the property; the re-plan is empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { useFeedctl } from '../../helpers/cli.js';
import { duck } from '../../helpers/duckdb.js';
import { headerPairs, readTopic } from '../../helpers/kcat.js';
import { lakeCounts, produce, streamFeedYaml, streamFiles, waitUntil } from '../../helpers/runtime.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { Worker } from '../../../src/runtime/worker/worker.js';

const env = useTestEnv('rt_field_columns');
const fc = useFeedctl(env);

const AT = '2026-11-20T21:00:00Z';
const good = [
  { key: 'p1', value: JSON.stringify({ id: 'p1', order: 3, customerId: 'C1', createdAt: AT }) },
  { key: 'p2', value: JSON.stringify({ id: 'p2', customerId: 'C2', createdAt: AT, id_extra: 'x' }) },
];
const bad = [{ key: 'no-id', value: JSON.stringify({ source_id: 'p3', customerId: 'C3', createdAt: AT }) }];

describe('fields stored under another column', () => {
  let worker: Worker;
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('pay');
    const fields = [
      '{name: id, column: source_id, type: string, maxLength: 20}',
      '{name: order, column: source_order, type: int, nullable: true}',
      '{name: customerId, column: customer_id, type: string, maxLength: 20}',
      '{name: createdAt, column: created_on, type: timestamp}',
    ];
    const yaml = streamFeedYaml({ name: 'pay', topic, fields, key: 'id', eventTime: 'createdAt' });
    fc.writeFeed('pay', yaml);
    expect((await fc.cli('reconcile')).code).toBe(0);
    worker = new Worker({ config: env.config, destinations: ['lake', 'warehouse'], pollMs: 500 });
    await worker.start();
  });
  afterAll(async () => {
    await worker.stop();
  });

  it('writes the properties to their columns in both sinks and dead-letters a missing property by name', async () => {
    await produce(env.config, topic, [...good, ...bad]);
    await waitUntil('both sinks to hold the good messages, and the dead letter', async () => {
      const lake = await lakeCounts(env.config.lake.root, 'pay');
      const rows = await withMysql(env.config, async (c) => {
        const [r] = await c.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM fact_pay');
        return Number(r[0]?.n);
      });
      return lake.rows >= 2 && rows >= 2 && readTopic(env.config, `${topic}-dlq`).length >= 1;
    });
    const table = await withMysql(env.config, async (c) => {
      const [r] = await c.query<RowDataPacket[]>(
        'SELECT source_id, source_order, customer_id, created_on FROM fact_pay ORDER BY source_id',
      );
      return r.map((x) => [x.source_id, x.source_order, x.customer_id, (x.created_on as Date).toISOString()]);
    });
    expect(table).toEqual([
      ['p1', 3, 'C1', '2026-11-20T21:00:00.000Z'],
      ['p2', null, 'C2', '2026-11-20T21:00:00.000Z'],
    ]);
    const lake = await duck(
      `SELECT source_id, source_order, customer_id FROM read_parquet(${streamFiles(env.config.lake.root, 'pay')}) ORDER BY source_id`,
    );
    expect(lake.map((r) => [r.source_id, r.source_order, r.customer_id])).toEqual([
      ['p1', 3, 'C1'],
      ['p2', null, 'C2'],
    ]);
    const letters = readTopic(env.config, `${topic}-dlq`);
    expect(letters.map((m) => m.key)).toEqual(['no-id']);
    expect(Object.fromEntries(headerPairs(letters[0]!))['feedctl.error.message']).toContain(
      '/id: is required',
    );
    await fc.expectConverged();
  });
});
