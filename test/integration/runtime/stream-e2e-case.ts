/**
 * The runtime end to end on the real broker and MariaDB, with the lake in a folder or on S3 (S3Proxy): 50,000
 * messages (some produced by kcat) into a 3-partition stream feed with both destinations; the lake (read by
 * DuckDB, from a local copy of an S3 lake), the warehouse and the dead-letter topic (read by kcat) must hold
 * exactly what was sent — the lake's rows equal, field by field, the good messages as DuckDB reads them from JSON,
 * so both backends hold the same rows. stream-e2e.test.ts and stream-e2e-s3.test.ts run it on each.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv, type TestEnv } from '../../helpers/env.js';
import { useFeedctl } from '../../helpers/cli.js';
import { duck, lit } from '../../helpers/duckdb.js';
import { localCopy } from '../../helpers/lake-backends.js';
import { headerPairs, readTopic } from '../../helpers/kcat.js';
import {
  lakeCounts,
  produce,
  produceWithKcat,
  streamFiles,
  tableCounts,
  waitUntil,
  type TestMessage,
} from '../../helpers/runtime.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { Worker } from '../../../src/runtime/worker/worker.js';

const TOTAL = 50_000;
const BAD_EVERY = 1250; // 80 bad messages: half not JSON, half violating the schema
const BASE_MS = Date.UTC(2026, 10, 20, 21, 0, 0);

function message(i: number): TestMessage {
  if (i % BAD_EVERY === 7) return { key: `bad-${i}`, value: `{"event_id": "bad-${i}", oops` };
  if (i % BAD_EVERY === 9) {
    return {
      key: `bad-${i}`,
      value: JSON.stringify({ event_id: `bad-${i}`, customer_id: 'c', ok: true, occurred_at: 'soon' }),
    };
  }
  const cents = BigInt(i) * 101n;
  const amount = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  return {
    key: `e-${i}`,
    value: JSON.stringify({
      event_id: `e-${i}`,
      customer_id: `c-${i % 997}`,
      amount: i % 7 === 0 ? null : i % 2 === 0 ? amount : Number(amount),
      quantity: i % 11 === 0 ? undefined : i % 1000,
      big: i % 3 === 0 ? `${2n ** 62n + BigInt(i)}` : i,
      ok: i % 2 === 0,
      note: i % 5 === 0 ? `note ${i} – ünïcödé ✓` : null,
      occurred_at: new Date(BASE_MS + i * 13_000).toISOString(),
    }),
  };
}

const isBad = (i: number) => i % BAD_EVERY === 7 || i % BAD_EVERY === 9;
const messages = Array.from({ length: TOTAL }, (_, i) => message(i));
const good = messages.filter((m) => m.key.startsWith('e-'));
const bad = messages.filter((m) => m.key.startsWith('bad-'));
/** Σ amount in cents over the good messages that carry one (amount = i × 1.01). */
const expectedCents = Array.from({ length: TOTAL }, (_, i) => i)
  .filter((i) => !isBad(i) && i % 7 !== 0)
  .reduce((sum, i) => sum + BigInt(i) * 101n, 0n);

/** Declares the end-to-end test of this file, its lake in a folder or on S3. */
export function describeStreamE2e(lake: 'folder' | 's3'): void {
  const env = useTestEnv(`rt_e2e_${lake}`, { lake });
  const fc = useFeedctl(env);
  describe(`a stream feed with both destinations, end to end (lake: ${lake})`, () => {
    e2e(env, fc);
  });
}

function e2e(env: TestEnv, fc: ReturnType<typeof useFeedctl>): void {
  let topic: string;
  let worker: Worker;
  beforeAll(async () => {
    topic = env.topic('e2e');
    fc.writeFeed('e2e', manifest(topic));
    expect((await fc.cli('reconcile')).code).toBe(0);
    worker = new Worker({ config: env.config, destinations: ['lake', 'warehouse'], pollMs: 500 });
    await worker.start();
  });
  afterAll(async () => {
    await worker.stop();
  });

  const name =
    'stores every good message exactly once in the lake and the warehouse, and dead-letters exactly the bad ones';
  it(name, { timeout: 240_000 }, async () => {
    await produce(env.config, topic, messages.slice(0, 45_000));
    produceWithKcat(env.config, topic, messages.slice(45_000), env.scratch);
    await waitUntil(
      'the lake and the warehouse to hold every good message',
      async () => {
        const table = await tableCounts(env.config, 'fact_e2e');
        if (table.rows < good.length) return false;
        return (await lakeCounts(await localCopy(env.config.lake), 'e2e')).rows >= good.length;
      },
      180_000,
      1000,
    );

    const root = await localCopy(env.config.lake);
    expect(await lakeCounts(root, 'e2e')).toEqual({ rows: good.length, distinct: good.length });
    expect(await tableCounts(env.config, 'fact_e2e')).toEqual({ rows: good.length, distinct: good.length });
    await expectLakeContent(root);
    await expectSameRows(root, env.scratch);
    await expectFileMetadata(root, topic);
    await expectWarehouseContent(env);
    expectDeadLetters(env, topic);
    await fc.expectConverged();
  });
}

async function expectLakeContent(root: string): Promise<void> {
  const files = streamFiles(root, 'e2e');
  const types = await duck(`DESCRIBE SELECT * FROM read_parquet(${files}, hive_partitioning = true)`);
  expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toMatchObject({
    event_id: 'VARCHAR',
    amount: 'DECIMAL(15,2)',
    quantity: 'INTEGER',
    big: 'BIGINT',
    ok: 'BOOLEAN',
    note: 'VARCHAR',
    occurred_at: 'TIMESTAMP WITH TIME ZONE',
    _kafka_offset: 'BIGINT',
  });
  const [r] = await duck(
    `SELECT sum(amount * 100)::HUGEINT AS cents, count(DISTINCT event_id) AS ids, max(big) AS big,
       count(*) FILTER (WHERE make_date(year::INT, month::INT, day::INT) <> CAST(occurred_at AT TIME ZONE 'UTC' AS DATE)) AS wrong_day,
       count(DISTINCT (year, month, day)) AS days, count(*) FILTER (WHERE note LIKE '%ünïcödé ✓') AS unicode
     FROM read_parquet(${files}, hive_partitioning = true)`,
  );
  expect(r).toMatchObject({ cents: String(expectedCents), ids: String(good.length), wrong_day: '0' });
  expect(BigInt(String(r?.big))).toBe(2n ** 62n + BigInt(TOTAL - 2));
  expect(Number(r?.days)).toBeGreaterThanOrEqual(7);
  expect(Number(r?.unicode)).toBe(good.filter((m) => m.value.includes('ünïcödé')).length);
}

async function expectWarehouseContent(env: TestEnv): Promise<void> {
  const row = await withMysql(env.config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      `SELECT CAST(SUM(amount * 100) AS CHAR) AS cents, COUNT(DISTINCT event_id) AS ids,
         SUM(snapshot_date <> DATE(occurred_at)) AS wrong_day, SUM(snapshot_version <> 0) AS versioned,
         CAST(MAX(big) AS CHAR) AS big FROM fact_e2e`,
    );
    return r[0];
  });
  expect(row).toMatchObject({
    cents: `${expectedCents}.00`,
    ids: String(good.length),
    wrong_day: '0',
    versioned: '0',
  });
  expect(BigInt(String(row?.big))).toBe(2n ** 62n + BigInt(TOTAL - 2));
}

function expectDeadLetters(env: TestEnv, topic: string): void {
  const letters = readTopic(env.config, `${topic}-dlq`);
  expect(letters.map((m) => m.key).sort()).toEqual(bad.map((m) => m.key).sort());
  for (const m of letters) {
    const headers = Object.fromEntries(headerPairs(m));
    const sent = bad.find((b) => b.key === m.key);
    expect(m.payload).toBe(sent?.value);
    expect(headers).toMatchObject({ 'feedctl.feed': 'e2e', 'feedctl.original.topic': topic });
    expect(headers['feedctl.stage']).toBe(sent?.value.includes('oops') ? 'parse' : 'schema');
    expect(Number(headers['feedctl.original.offset'])).toBeGreaterThanOrEqual(0);
  }
}

/** Every file carries feedctl's key-value metadata, the same on both backends, its offsets matching its rows. */
async function expectFileMetadata(root: string, topic: string): Promise<void> {
  const [m] = await duck(
    `WITH kv AS (SELECT file_name AS f, decode(key) AS k, decode(value) AS v
                 FROM parquet_kv_metadata(${streamFiles(root, 'e2e')}) WHERE decode(key) LIKE 'feedctl.%')
     SELECT count(DISTINCT f) AS files, count(DISTINCT k) AS keys,
       count(*) FILTER (WHERE k = 'feedctl.feed' AND v <> 'e2e') AS other_feed,
       count(*) FILTER (WHERE k = 'feedctl.topic' AND v <> ${lit(topic)}) AS other_topic,
       count(*) FILTER (WHERE k = 'feedctl.generation' AND v <> '1') AS other_generation FROM kv`,
  );
  expect(Number(m?.files)).toBeGreaterThan(3);
  expect(m).toMatchObject({ keys: '8', other_feed: '0', other_topic: '0', other_generation: '0' });
}

/** One text per row of the feed's fields, in event_id order, hashed: NULLs and values alike. */
const FINGERPRINT = `md5(string_agg(concat_ws('|', event_id, customer_id, coalesce(amount::VARCHAR, '-'),
  coalesce(quantity::VARCHAR, '-'), big::VARCHAR, ok::VARCHAR, coalesce(note, '-'), epoch_ms(occurred_at)::VARCHAR),
  chr(10) ORDER BY event_id)) AS fp, count(*) AS n`;

/** The lake's rows are the good messages, field by field, as DuckDB reads them from their JSON. */
async function expectSameRows(root: string, scratch: string): Promise<void> {
  const json = path.join(scratch, 'good.ndjson');
  writeFileSync(json, good.map((m) => m.value).join('\n'));
  const columns = `{event_id: 'VARCHAR', customer_id: 'VARCHAR', amount: 'DECIMAL(15,2)', quantity: 'INTEGER',
    big: 'BIGINT', ok: 'BOOLEAN', note: 'VARCHAR', occurred_at: 'TIMESTAMPTZ'}`;
  const [sent] = await duck(`SELECT ${FINGERPRINT} FROM read_json(${lit(json)}, columns = ${columns})`);
  const [lake] = await duck(
    `SELECT ${FINGERPRINT} FROM read_parquet(${streamFiles(root, 'e2e')}, hive_partitioning = true)`,
  );
  expect(sent?.n).toBe(String(good.length));
  expect(lake).toEqual(sent);
}

function manifest(topic: string): string {
  return `apiVersion: feedctl/v1
kind: Feed
metadata: {name: e2e}
spec:
  type: stream
  topic: {name: ${topic}, partitions: 3}
  schema:
    fields:
      - {name: event_id, type: string, maxLength: 40}
      - {name: customer_id, type: string, maxLength: 32}
      - {name: amount, type: decimal, precision: 15, scale: 2, nullable: true}
      - {name: quantity, type: int, nullable: true}
      - {name: big, type: bigint}
      - {name: ok, type: boolean}
      - {name: note, type: string, nullable: true}
      - {name: occurred_at, type: timestamp}
    key: [event_id]
    eventTime: occurred_at
  destinations:
    lake: {flush: {idleSeconds: 1}}
    warehouse: {enabled: true, table: fact_e2e}
`;
}
