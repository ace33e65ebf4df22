import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LakeCompression } from '../../../../src/feeds/types.js';
import { KeyBatch } from '../../../../src/runtime/lake/batch.js';
import { loadParquet, parquetBytes } from '../../../../src/runtime/lake/parquet.js';
import { arrowSchema, lakeColumns } from '../../../../src/runtime/lake/schema.js';
import { duck, lit } from '../../../helpers/duckdb.js';
import { FIELDS, records } from './fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-parquet-'));
beforeAll(loadParquet);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const columns = lakeColumns(FIELDS);

/** Writes records 0..n-1 as one Parquet file and returns its path. */
function writeFile(name: string, compression: LakeCompression, n = 50): string {
  const batch = new KeyBatch(columns, 0);
  for (const r of records(0, 0, n)) batch.append(r, 1_700_000_000_000);
  const file = path.join(dir, name);
  writeFileSync(
    file,
    parquetBytes(batch.toTable(arrowSchema(columns)), compression, { 'feedctl.feed': name }),
  );
  return file;
}

const codecs = async (file: string): Promise<string[]> =>
  (await duck(`SELECT DISTINCT compression FROM parquet_metadata(${lit(file)})`)).map((r) =>
    String(r.compression),
  );

describe('Parquet bytes', () => {
  it('compresses every column chunk with snappy, file after file (fresh writer properties each time)', async () => {
    for (const name of ['a.parquet', 'b.parquet', 'c.parquet']) {
      expect(await codecs(writeFile(name, 'snappy'))).toEqual(['SNAPPY']);
    }
  });

  it.each([
    ['zstd', 'ZSTD'],
    ['gzip', 'GZIP'],
    ['lz4', 'LZ4_RAW'],
    ['none', 'UNCOMPRESSED'],
  ] as const)('writes %s as %s', async (compression, codec) => {
    expect(await codecs(writeFile(`${compression}.parquet`, compression))).toEqual([codec]);
  });

  it('stores the key-value metadata', async () => {
    const file = writeFile('kv.parquet', 'snappy');
    const rows = await duck(
      `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${lit(file)}) WHERE decode(key) LIKE 'feedctl.%'`,
    );
    expect(rows).toEqual([{ key: 'feedctl.feed', value: 'kv.parquet' }]);
  });

  it('has the column types a reader expects', async () => {
    const file = writeFile('types.parquet', 'snappy');
    const rows = await duck(`DESCRIBE SELECT * FROM read_parquet(${lit(file)})`);
    expect(Object.fromEntries(rows.map((r) => [r.column_name, r.column_type]))).toEqual({
      id: 'VARCHAR',
      qty: 'INTEGER',
      big: 'BIGINT',
      ratio: 'FLOAT',
      price: 'DOUBLE',
      amount: 'DECIMAL(15,2)',
      huge: 'VARCHAR',
      flag: 'BOOLEAN',
      born: 'DATE',
      at: 'TIMESTAMP WITH TIME ZONE',
      payload: 'VARCHAR',
      note: 'VARCHAR',
      _kafka_partition: 'INTEGER',
      _kafka_offset: 'BIGINT',
      _kafka_timestamp: 'TIMESTAMP WITH TIME ZONE',
      _ingested_at: 'TIMESTAMP WITH TIME ZONE',
    });
  });
});
