/**
 * Helpers for runtime tests: producing feed messages (kafkajs and kcat, an independent client), waiting for a
 * condition, and reading what the sinks wrote — the lake with DuckDB, the warehouse with SQL.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src/config/config.js';
import { createProducer } from '../../src/clients/kafka.js';
import { withMysql, type RowDataPacket } from '../../src/clients/mysql.js';
import { quoteIdent } from '../../src/sql/ident.js';
import { duck, lit } from './duckdb.js';

/** A message as produced: key and value text. */
export interface TestMessage {
  key: string;
  value: string;
}

/** Produces with kafkajs, in batches (keys spread messages over partitions). */
export async function produce(config: Config, topic: string, messages: TestMessage[]): Promise<void> {
  const producer = createProducer(config, { idempotent: true });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 1000) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 1000) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Produces with kcat (librdkafka), from a file of `key<TAB>value` lines. */
export function produceWithKcat(config: Config, topic: string, messages: TestMessage[], dir: string): void {
  const file = path.join(dir, `kcat-${topic}.txt`);
  writeFileSync(file, messages.map((m) => `${m.key}\t${m.value}\n`).join(''));
  execFileSync('kcat', ['-b', config.kafka.brokers.join(','), '-P', '-t', topic, '-K', '\t', '-l', file], {
    timeout: 60_000,
  });
}

/** Polls `probe` every `everyMs` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 120_000,
  everyMs = 500,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The glob of a stream feed's Parquet files. */
export const streamFiles = (lakeRoot: string, feed: string): string =>
  lit(path.join(lakeRoot, 'streams', feed, '**', '*.parquet'));

/** Rows and distinct (partition, offset) pairs in a stream feed's lake files (0 when there are none yet). */
export async function lakeCounts(
  lakeRoot: string,
  feed: string,
): Promise<{ rows: number; distinct: number }> {
  try {
    const [r] = await duck(
      `SELECT count(*) AS n, count(DISTINCT (_kafka_partition, _kafka_offset)) AS d
       FROM read_parquet(${streamFiles(lakeRoot, feed)}, hive_partitioning = true)`,
    );
    return { rows: Number(r?.n), distinct: Number(r?.d) };
  } catch (err) {
    if (/No files found/i.test(String(err))) return { rows: 0, distinct: 0 };
    throw err;
  }
}

/** Rows and distinct (partition, offset) pairs in a warehouse table. */
export async function tableCounts(
  config: Config,
  table: string,
): Promise<{ rows: number; distinct: number }> {
  return withMysql(config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT _kafka_partition, _kafka_offset) AS d FROM ${quoteIdent(table)}`,
    );
    return { rows: Number(r[0]?.n), distinct: Number(r[0]?.d) };
  });
}

/** Options of {@link streamFeedYaml}; omitted ones give the `{ref, at}` feed most runtime tests use. */
export interface StreamFeedOptions {
  name: string;
  topic: string;
  partitions?: number;
  /** Field lines as YAML flow maps; default `ref` (the key) and `at` (the event time). */
  fields?: string[];
  key?: string;
  eventTime?: string;
  /** The lake's flush settings, a YAML flow map. */
  flush?: string;
  /** The retention policy, a YAML flow map, e.g. `{days: 30}` (none when omitted). */
  retention?: string;
}

/** A stream feed into the lake and the warehouse table `fact_<name>`. */
export function streamFeedYaml(o: StreamFeedOptions): string {
  const fields = o.fields ?? ['{name: ref, type: string, maxLength: 20}', '{name: at, type: timestamp}'];
  return [
    'apiVersion: feedctl/v1',
    'kind: Feed',
    `metadata: {name: ${o.name}}`,
    'spec:',
    '  type: stream',
    `  topic: {name: ${o.topic}, partitions: ${o.partitions ?? 3}}`,
    '  schema:',
    '    fields:',
    ...fields.map((f) => `      - ${f}`),
    `    key: [${o.key ?? 'ref'}]`,
    `    eventTime: ${o.eventTime ?? 'at'}`,
    '  destinations:',
    `    lake: {flush: ${o.flush ?? '{idleSeconds: 1}'}}`,
    `    warehouse: {enabled: true, table: fact_${o.name}}`,
    ...(o.retention ? [`  retention: ${o.retention}`] : []),
    '',
  ].join('\n');
}

/** Messages `<prefix>-<from>` … for the `{ref, at}` feed, keyed by ref; `extra` adds fields. */
export function refMessages(
  prefix: string,
  from: number,
  n: number,
  extra: Record<string, unknown> = {},
): TestMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `${prefix}-${from + i}`,
    value: JSON.stringify({ ref: `${prefix}-${from + i}`, at: new Date().toISOString(), ...extra }),
  }));
}
