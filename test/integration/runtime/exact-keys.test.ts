/**
 * Values land exactly as sent. Keys that differ only by case, accents, trailing spaces or tabs, `ß`/`ss`, or a
 * precomposed `Å` against `A` + combining ring, are distinct Kafka keys: the warehouse keeps as many rows as the
 * lake (read by DuckDB), byte for byte. A lone surrogate, which UTF-8 cannot hold, is dead-lettered with its reason
 * and written nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { useFeedctl } from '../../helpers/cli.js';
import { duck } from '../../helpers/duckdb.js';
import { headerPairs, readTopic } from '../../helpers/kcat.js';
import {
  lakeCounts,
  produce,
  streamFeedYaml,
  streamFiles,
  tableCounts,
  waitUntil,
  type TestMessage,
} from '../../helpers/runtime.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { Worker } from '../../../src/runtime/worker/worker.js';

const env = useTestEnv('rt_exact_keys');
const fc = useFeedctl(env);

const KEYS = ['abc', 'ABC', 'abc ', 'àbc', 'ß', 'ss', '\u00c5', 'A\u030a', 'x', 'x\t'];
const AT = '2026-11-20T21:00:00Z';
const good: TestMessage[] = KEYS.map((ref, i) => ({
  key: ref,
  value: JSON.stringify({ ref, at: AT, doc: { i, ref } }),
}));
/** JSON escapes of a lone surrogate, in a key field and inside a json field (JSON.stringify keeps them escaped). */
const bad: TestMessage[] = [
  { key: 'lone-ref', value: JSON.stringify({ ref: 'ab\ud83d', at: AT }) },
  { key: 'lone-doc', value: JSON.stringify({ ref: 'ok-ref', at: AT, doc: { note: '\udc00' } }) },
];
/** Σ of the warehouse consumer's committed next offsets: the messages it has consumed, rows or dead letters. */
async function warehouseNextOffsets(): Promise<number> {
  return withMysql(env.config, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(
      "SELECT COALESCE(SUM(next_offset), 0) AS n FROM feedctl_offsets WHERE feed_name = 'exact'",
    );
    return Number(rows[0]?.n);
  });
}

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex').toUpperCase();

describe('keys land byte-exact in both sinks', () => {
  let topic: string;
  let worker: Worker;
  beforeAll(async () => {
    topic = env.topic('exact');
    const fields = [
      '{name: ref, type: string, maxLength: 20}',
      '{name: at, type: timestamp}',
      '{name: doc, type: json, nullable: true}',
    ];
    fc.writeFeed('exact', streamFeedYaml({ name: 'exact', topic, fields }));
    expect((await fc.cli('reconcile')).code).toBe(0);
    worker = new Worker({ config: env.config, destinations: ['lake', 'warehouse'], pollMs: 500 });
    await worker.start();
  });
  afterAll(async () => {
    await worker.stop();
  });

  it('keeps one warehouse row per key sent, as the lake does, and dead-letters lone surrogates', async () => {
    await produce(env.config, topic, [...good, ...bad]);
    // Done when the lake holds every good message and the warehouse committed every offset: waiting for a row
    // count would hang, not fail, if keys were merged.
    await waitUntil('both sinks to have consumed every message', async () => {
      const lake = await lakeCounts(env.config.lake.root, 'exact');
      return lake.rows >= good.length && (await warehouseNextOffsets()) >= good.length + bad.length;
    });

    const sent = KEYS.map(hex).sort();
    const lake = await duck(
      `SELECT upper(hex(ref)) AS h FROM read_parquet(${streamFiles(env.config.lake.root, 'exact')}, hive_partitioning = true)`,
    );
    expect(lake.map((r) => String(r.h)).sort()).toEqual(sent);
    const table = await withMysql(env.config, async (c) => {
      const [rows] = await c.query<RowDataPacket[]>('SELECT HEX(ref) AS h, doc FROM fact_exact');
      return rows;
    });
    expect(table.map((r) => String(r.h)).sort()).toEqual(sent);
    for (const r of table) {
      const doc = (typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc) as { ref: string };
      expect(hex(doc.ref)).toBe(String(r.h));
    }

    const letters = readTopic(env.config, `${topic}-dlq`);
    expect(letters.map((m) => m.key).sort()).toEqual(['lone-doc', 'lone-ref']);
    for (const m of letters) {
      const headers = Object.fromEntries(headerPairs(m));
      expect(m.payload).toBe(bad.find((b) => b.key === m.key)?.value);
      expect(headers['feedctl.stage']).toBe('schema');
      expect(headers['feedctl.error.message']).toContain(
        `/${m.key === 'lone-ref' ? 'ref' : 'doc'}: must not contain a lone UTF-16 surrogate`,
      );
    }
    expect(await lakeCounts(env.config.lake.root, 'exact')).toEqual({
      rows: good.length,
      distinct: good.length,
    });
    expect(await tableCounts(env.config, 'fact_exact')).toEqual({ rows: good.length, distinct: good.length });
    await fc.expectConverged();
  });
});
