// The snapshot bench's feeds and readers, on top of runtime-scenario.mjs's withScenario: one set of fields (sku
// as the key, title, price decimal(12,2), n bigint) as a table feed (marker seal) and as a stream feed (event time:
// the Kafka timestamp, the default), both destinations, lake flush settings the manifest defaults; rows produced
// with kcat to explicit partitions (row i → partition i % 3), optionally with the snapshot_version header, end
// markers with snapshot_rows; the ledger's state per destination, the published lake version read by DuckDB and
// the warehouse's `<table>_latest` view.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const FIELDS = `    fields:
      - {name: sku, type: string, maxLength: 32}
      - {name: title, type: string, maxLength: 64}
      - {name: price, type: decimal, precision: 12, scale: 2}
      - {name: n, type: bigint}
    key: [sku]`;

const head = (s, type) => `apiVersion: feedctl/v1
kind: Feed
metadata: {name: ${s.feed}, owner: bench}
spec:
  type: ${type}
  topic: {name: ${s.topic}, partitions: ${s.partitions}}
  schema:
${FIELDS}`;

/** The table feed: a version per snapshot_version header, sealed by one end marker per partition. */
export const tableYaml = (s) => `${head(s, 'table')}
  snapshot: {version: {header: snapshot_version}, seal: marker}
  destinations:
    lake: {enabled: true}
    warehouse: {enabled: true, table: ${s.table}}
  retention: {versions: 10}
`;

/** The stream feed with the same fields (event time: the Kafka timestamp). */
export const streamYaml = (s) => `${head(s, 'stream')}
  destinations:
    lake: {enabled: true}
    warehouse: {enabled: true, table: ${s.table}}
`;

/** Row i as a kcat line (key TAB json), ≈75 bytes. */
const line = (i) => {
  const cents = (i * 7919) % 10_000_000;
  const price = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return `sku-${i}\t{"sku":"sku-${i}","title":"item ${i} of the catalogue","price":"${price}","n":${i}}\n`;
};

const brokers = (s) => s.config.kafka.brokers.join(',');

/** Rows of 0..n-1 per partition (row i goes to partition i % partitions). */
export const rowsPerPartition = (s, n) =>
  Array.from(
    { length: s.partitions },
    (_, p) => Math.floor(n / s.partitions) + (p < n % s.partitions ? 1 : 0),
  );

/**
 * Produces rows 0..n-1 with kcat, each to partition i % partitions, with header snapshot_version=`version` when
 * given (the file is written first, not timed); returns the ms kcat took.
 */
export async function produceRows(s, n, version) {
  const header = version === undefined ? [] : ['-H', `snapshot_version=${version}`];
  let ms = 0;
  for (let p = 0; p < s.partitions; p++) {
    const file = path.join(s.dir, `rows-${p}.tsv`);
    const out = createWriteStream(file);
    for (let i = p; i < n;) {
      const chunk = [];
      for (let k = 0; k < 10_000 && i < n; k++, i += s.partitions) chunk.push(line(i));
      if (!out.write(chunk.join(''))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const t0 = performance.now();
    const args = ['-b', brokers(s), '-P', '-t', s.topic, '-p', String(p), '-K', '\t', ...header];
    execFileSync('kcat', [...args, '-l', file, '-X', 'linger.ms=50']);
    ms += performance.now() - t0;
    rmSync(file);
  }
  return ms;
}

/** One end marker of `version` per partition (null key and value), with snapshot_rows = the rows sent there. */
export function produceMarkers(s, n, version) {
  const file = path.join(s.dir, 'marker.txt');
  writeFileSync(file, ':\n');
  rowsPerPartition(s, n).forEach((rows, p) => {
    const headers = ['-H', `snapshot_end=${version}`, '-H', `snapshot_rows=${rows}`];
    const args = ['-b', brokers(s), '-P', '-t', s.topic, '-p', String(p), '-K', ':', '-Z', ...headers];
    execFileSync('kcat', [...args, '-l', file]);
  });
  rmSync(file);
}

/** The ledger's state of `version` per destination (feedctl_snapshots), e.g. `{lake: 'published'}`. */
export async function snapshotStates(s, version) {
  const [rows] = await s.pool.query(
    'SELECT destination, state FROM feedctl_snapshots WHERE feed_name = ? AND version = ?',
    [s.feed, version],
  );
  return Object.fromEntries(rows.map((r) => [String(r.destination), String(r.state)]));
}

/** Rows and distinct skus of the published lake version, read by DuckDB. */
export async function lakeVersionRows(s, version) {
  const glob = path.join(s.config.lake.root, 'tables', s.feed, `version=${version}`, '*.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const r = await c.runAndReadAll(
      `SELECT count(*)::BIGINT, count(DISTINCT sku)::BIGINT FROM read_parquet('${glob.replaceAll("'", "''")}')`,
    );
    const [n, d] = r.getRows()[0];
    return { rows: Number(n), distinct: Number(d) };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** Rows and distinct skus of the warehouse's `<table>_latest` view. */
export async function latestViewRows(s) {
  const [r] = await s.pool.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT sku) AS d FROM \`${s.table}_latest\``);
  return { rows: Number(r[0].n), distinct: Number(r[0].d) };
}

/**
 * Per destination, from the ledger's timestamps (ms): `sealing` from the version's opening to its last partition's
 * seal, `publishing` from that seal to the version's publication (settle and, in the lake, the folder's rename).
 */
export async function ledgerTimes(s, version) {
  const [rows] = await s.pool.query(
    `SELECT v.destination AS d, TIMESTAMPDIFF(MICROSECOND, v.opened_at, MAX(p.sealed_at)) AS sealing,
       TIMESTAMPDIFF(MICROSECOND, MAX(p.sealed_at), v.published_at) AS publishing
     FROM feedctl_snapshots v JOIN feedctl_snapshot_partitions p USING (feed_name, destination, version)
     WHERE v.feed_name = ? AND v.version = ? GROUP BY v.destination, v.opened_at, v.published_at`,
    [s.feed, version],
  );
  const ms = (us) => (us === null ? null : Number(us) / 1000);
  return Object.fromEntries(rows.map((r) => [r.d, { sealing: ms(r.sealing), publishing: ms(r.publishing) }]));
}
