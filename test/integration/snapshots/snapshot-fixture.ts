/**
 * Table-feed test fixture: a manifest, snapshot rows and end markers produced with kcat (an independent client,
 * headers with `-H`), and readers of what was published — the ledger, `_latest.json`, the lake through DuckDB and
 * the warehouse's `_latest` view.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../../src/config/config.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { quoteIdent } from '../../../src/sql/ident.js';
import { duck, lit } from '../../helpers/duckdb.js';

export const PARTITIONS = 3;

/** A table feed `name` on `topic`, into the lake and the warehouse table `dim_<name>`. */
export function tableFeedYaml(name: string, topic: string, seal = 'marker'): string {
  return [
    'apiVersion: feedctl/v1',
    'kind: Feed',
    `metadata: {name: ${name}, owner: tests}`,
    'spec:',
    '  type: table',
    `  topic: {name: ${topic}, partitions: ${PARTITIONS}, configs: {retention.ms: "604800000"}}`,
    '  schema:',
    '    fields:',
    '      - {name: sku, type: string, maxLength: 32}',
    '      - {name: title, type: string, maxLength: 64}',
    '      - {name: price, type: decimal, precision: 12, scale: 2}',
    '      - {name: n, type: bigint}',
    '    key: [sku]',
    `  snapshot: {version: {header: snapshot_version}, seal: ${seal}}`,
    '  destinations:',
    '    lake: {flush: {maxRows: 2000, idleSeconds: 1}}',
    `    warehouse: {enabled: true, table: dim_${name}}`,
    '  retention: {versions: 10}',
    '',
  ].join('\n');
}

/** Row `i` of version `v`: its values depend on both, so a row of another version is never taken for it. */
export function row(v: number, i: number): { sku: string; title: string; price: string; n: number } {
  return {
    sku: `sku-${i}`,
    title: `v${v} item ${i}`,
    price: `${(i % 1000) + v}.${String(i % 100).padStart(2, '0')}`,
    n: v * 1_000_000 + i,
  };
}

/** The partition of row `i` (explicit, so the end markers' counts are known). */
export const partitionOf = (i: number): number => i % PARTITIONS;

/** Sends rows `from..to-1` of version `v`, each to its partition, with the `snapshot_version` header. */
export function sendRows(
  config: Config,
  dir: string,
  topic: string,
  v: number,
  from: number,
  to: number,
): void {
  for (let p = 0; p < PARTITIONS; p++) {
    const lines: string[] = [];
    for (let i = from; i < to; i++) {
      if (partitionOf(i) === p) lines.push(`sku-${i}\t${JSON.stringify(row(v, i))}\n`);
    }
    if (lines.length === 0) continue;
    const file = path.join(dir, `rows-${v}-${p}.txt`);
    writeFileSync(file, lines.join(''));
    kcat(config, ['-t', topic, '-p', String(p), '-K', '\t', '-H', `snapshot_version=${v}`, '-l', file]);
  }
}

/** Sends `key<TAB>value` lines to partition `p` with the given headers (`name=value`). */
export function sendLines(
  config: Config,
  dir: string,
  topic: string,
  p: number,
  lines: string[],
  headers: string[],
): void {
  const file = path.join(dir, `lines-${p}.txt`);
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  kcat(config, ['-t', topic, '-p', String(p), '-K', '\t', ...headers.flatMap((h) => ['-H', h]), '-l', file]);
}

/** Sends the end marker of version `v` on partition `p` (null key and value), with `snapshot_rows` when given. */
export function sendMarker(
  config: Config,
  dir: string,
  topic: string,
  v: number,
  p: number,
  rows?: number,
): void {
  const file = path.join(dir, 'marker.txt');
  writeFileSync(file, ':\n');
  const count = rows === undefined ? [] : ['-H', `snapshot_rows=${rows}`];
  kcat(config, [
    '-t',
    topic,
    '-p',
    String(p),
    '-K',
    ':',
    '-Z',
    '-H',
    `snapshot_end=${v}`,
    ...count,
    '-l',
    file,
  ]);
}

/** Rows of `0..n-1` per partition. */
export function rowsPerPartition(n: number): number[] {
  return Array.from(
    { length: PARTITIONS },
    (_, p) => Math.floor(n / PARTITIONS) + (p < n % PARTITIONS ? 1 : 0),
  );
}

function kcat(config: Config, args: string[]): void {
  execFileSync('kcat', ['-b', config.kafka.brokers.join(','), '-P', ...args], { timeout: 60_000 });
}

/** The ledger's state of each version of a feed and destination. */
export async function ledger(
  config: Config,
  feed: string,
  destination: string,
): Promise<Map<number, { state: string; rows: number | null; reason: string | null }>> {
  return withMysql(config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      'SELECT version, state, rows_total, reason FROM feedctl_snapshots WHERE feed_name = ? AND destination = ? ORDER BY version',
      [feed, destination],
    );
    return new Map(
      r.map((x) => [
        Number(x.version),
        {
          state: String(x.state),
          rows: x.rows_total === null ? null : Number(x.rows_total),
          reason: x.reason as string | null,
        },
      ]),
    );
  });
}

/** Whether version `v` reached `state` in both destinations. */
export async function bothAre(config: Config, feed: string, v: number, state: string): Promise<boolean> {
  const lake = (await ledger(config, feed, 'lake')).get(v)?.state;
  const wh = (await ledger(config, feed, 'warehouse')).get(v)?.state;
  return lake === state && wh === state;
}

/** `_latest.json` of a feed, or null. */
export function latestJson(
  root: string,
  feed: string,
): { version: number; rows: number; files: string[] } | null {
  try {
    return JSON.parse(readFileSync(path.join(root, 'tables', feed, '_latest.json'), 'utf8')) as never;
  } catch {
    return null;
  }
}

/** Per published lake version: rows, distinct skus and the sum of n (DuckDB over the readers' glob). */
export async function lakeVersions(root: string, feed: string): Promise<[number, number, number, bigint][]> {
  const glob = lit(path.join(root, 'tables', feed, 'version=*', '*.parquet'));
  const rows = await duck(
    `SELECT version, count(*) AS n, count(DISTINCT sku) AS d, sum(n)::BIGINT AS s
     FROM read_parquet(${glob}, hive_partitioning = true) GROUP BY version ORDER BY version`,
  );
  return rows.map((r) => [Number(r.version), Number(r.n), Number(r.d), BigInt(String(r.s))]);
}

/** Rows, the sum of n and the version range of a view or table. */
export async function viewSummary(
  config: Config,
  view: string,
): Promise<{ rows: number; sum: bigint; versions: string }> {
  return withMysql(config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n, CAST(COALESCE(SUM(n), 0) AS CHAR) AS s, CONCAT(COALESCE(MIN(snapshot_version), ''), '-', COALESCE(MAX(snapshot_version), '')) AS v FROM ${quoteIdent(view)}`,
    );
    return { rows: Number(r[0]?.n), sum: BigInt(String(r[0]?.s)), versions: String(r[0]?.v) };
  });
}

/** Sum of n over rows `0..count-1` of version `v`. */
export function expectedSum(v: number, count: number): bigint {
  let s = 0n;
  for (let i = 0; i < count; i++) s += BigInt(row(v, i).n);
  return s;
}

/** The last lines of a test worker's log (for failure messages). */
export function workerLogTail(root: string, name: string, lines = 40): string {
  try {
    const text = readFileSync(path.join(root, `worker-${name}.log`), 'utf8')
      .trim()
      .split('\n');
    return `worker ${name}:\n${text.slice(-lines).join('\n')}`;
  } catch {
    return `worker ${name}: no log`;
  }
}

/** The ledger's partition rows of a feed (for failure messages). */
export async function partitionRows(config: Config, feed: string): Promise<unknown[]> {
  return withMysql(config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      'SELECT destination, version, partition_id, rows_written, rows_expected, sealed_at FROM feedctl_snapshot_partitions WHERE feed_name = ? ORDER BY 1, 2, 3',
      [feed],
    );
    return r.map((x) => ({ ...x }));
  });
}
