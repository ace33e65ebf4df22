import { describe, expect, it } from 'vitest';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { createDecoder, isFailure } from '../../../src/runtime/decode/decoder.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec, field } from '../../helpers/feed-spec.js';

const env = useTestEnv('dlq_varchar');
const N = 5;

// Strings the decoder must accept exactly when MySQL VARCHAR(5) in utf8mb4 stores them unchanged; the others go to
// the dead-letter topic at the schema stage instead of failing in the warehouse.
const CANDIDATES = [
  'abcde',
  'abcdef',
  '日本語です',
  '日本語ですね',
  '😀😀😀😀😀',
  '😀😀😀😀😀😀',
  'e\u0301e\u0301e',
  'e\u0301e\u0301e\u0301',
  '👨\u200d👩\u200d👧',
  '👨\u200d👩\u200d👧\u200d👦',
];

describe('string maxLength against MySQL VARCHAR(n)', () => {
  it('accepts exactly the strings MySQL stores unchanged, counting code points', async () => {
    const spec = feedSpec({
      fields: [field('v', { kind: 'string', maxLength: N })],
      key: [],
      eventTimeField: null,
    });
    const decoder = createDecoder(spec, 1);
    const decoderAccepts = CANDIDATES.map(
      (v) =>
        !isFailure(
          decoder.decode({
            partition: 0,
            offset: 0,
            timestampMs: 0,
            key: null,
            value: Buffer.from(JSON.stringify({ v })),
            headers: {},
          }),
        ),
    );
    const mysqlStores = await withMysql(env.config, async (c) => {
      await c.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
      await c.query(`CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(${N})) CHARACTER SET utf8mb4`);
      const stored: boolean[] = [];
      for (const [i, v] of CANDIDATES.entries()) {
        const ok = await c.query('INSERT INTO t VALUES (?, ?)', [i, v]).then(
          () => true,
          (err: { code?: string }) => (expect(err.code).toBe('ER_DATA_TOO_LONG'), false),
        );
        const [rows] = await c.query<RowDataPacket[]>('SELECT v FROM t WHERE id = ?', [i]);
        stored.push(ok && rows[0]?.v === v);
      }
      return stored;
    });
    expect(decoderAccepts).toEqual(mysqlStores);
    expect(decoderAccepts).toEqual(CANDIDATES.map((_, i) => i % 2 === 0));
  });

  it('refuses a lone surrogate, which MySQL would store altered', async () => {
    const lone = 'ab\ud800';
    const stored = await withMysql(env.config, async (c) => {
      await c.query(`CREATE TABLE lone (v VARCHAR(${N})) CHARACTER SET utf8mb4`);
      await c.query('INSERT INTO lone VALUES (?)', [lone]);
      const [rows] = await c.query<RowDataPacket[]>('SELECT v FROM lone');
      return rows[0]?.v as string;
    });
    expect(stored).not.toBe(lone);
    const spec = feedSpec({
      fields: [field('v', { kind: 'string', maxLength: N })],
      key: [],
      eventTimeField: null,
    });
    const out = createDecoder(spec, 1).decode({
      partition: 0,
      offset: 0,
      timestampMs: 0,
      key: null,
      value: Buffer.from('{"v":"ab\\ud800"}'),
      headers: {},
    });
    expect(out).toMatchObject({
      stage: 'schema',
      message: '/v: must not contain a lone UTF-16 surrogate (got "ab\\ud800")',
    });
  });
});
