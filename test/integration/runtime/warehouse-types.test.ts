import { describe, expect, it } from 'vitest';
import type { RowDataPacket } from '../../../src/clients/mysql.js';
import type { FieldValue } from '../../../src/runtime/record.js';
import { field } from '../../helpers/feed-spec.js';
import { rec, useWarehouse } from './warehouse-fixture.js';

const FIELDS = [
  field('k', { kind: 'string', maxLength: 64 }),
  field('s', { kind: 'string', maxLength: 16 }, true),
  field('txt', { kind: 'string', maxLength: null }, true),
  field('i', { kind: 'int' }, true),
  field('big', { kind: 'bigint' }, true),
  field('f', { kind: 'float' }, true),
  field('d', { kind: 'double' }, true),
  field('dec', { kind: 'decimal', precision: 38, scale: 10 }, true),
  field('ok', { kind: 'boolean' }, true),
  field('day', { kind: 'date' }, true),
  field('at', { kind: 'timestamp' }, true),
  field('doc', { kind: 'json' }, true),
];
const wh = useWarehouse('wh_types', { fields: FIELDS, key: ['k'], eventTimeField: null });
const T = Date.UTC(2024, 1, 29, 23, 59, 59, 999);

/** Each value as text, exactly as the server stores it. */
const SELECT =
  'SELECT k, s, txt, i, CAST(big AS CHAR) AS big, CAST(f AS DOUBLE) AS f, d, CAST(`dec` AS CHAR) AS `dec`, ok,' +
  ' CAST(day AS CHAR) AS day, CAST(at AS CHAR) AS at, doc, CAST(snapshot_date AS CHAR) AS sd, snapshot_version AS sv,' +
  ' CAST(_event_time AS CHAR) AS et, _kafka_partition AS p, CAST(_kafka_offset AS CHAR) AS o FROM fact_wh_feed' +
  ' WHERE k = ?';

const MAX: FieldValue[] = [
  'max',
  'héllo wörld ✓ 👋',
  '日本語のテキスト\n\t"quoted" \\ backslash \u0000 nul, emoji 🎉',
  2147483647,
  9223372036854775807n,
  Math.fround(3.4e38),
  Number.MAX_VALUE,
  '9999999999999999999999999999.9999999999',
  true,
  2932896, // 9999-12-31
  Date.UTC(9999, 11, 31, 23, 59, 59, 999),
  '{"a":[1,2.5,"x"],"b":{"c":null,"ü":"☃"}}',
];
const MIN: FieldValue[] = [
  'min',
  '',
  '',
  -2147483648,
  -9223372036854775808n,
  -Math.fround(1.17549435e-38),
  -5e-324,
  '-9999999999999999999999999999.9999999999',
  false,
  -719162, // 0001-01-01
  Date.UTC(1970, 0, 1) - 1,
  '[]',
];
const NULLS: FieldValue[] = ['nulls', null, null, null, null, null, null, null, null, null, null, null];

async function read(id: string): Promise<RowDataPacket> {
  const rows = await wh.sql<RowDataPacket[]>(SELECT, [id]);
  expect(rows).toHaveLength(1);
  return rows[0] as RowDataPacket;
}

describe('warehouse value round trip', () => {
  it('stores every field type exactly, and the system columns of the row rule', async () => {
    const sink = wh.sink();
    await sink.loadOffsets([2]);
    const records = [MAX, MIN, NULLS].map((v, i) => rec(2, 9_007_199_254_740_000 + i, T, v));
    expect(
      await sink.write([{ partition: 2, records, nextOffset: 9_007_199_254_740_003 }], undefined, {
        snapshotVersion: 7,
      }),
    ).toEqual({
      rows: 3,
      rejected: 0,
    });

    const max = await read('max');
    expect(max).toMatchObject({ s: MAX[1], txt: MAX[2], i: 2147483647, big: '9223372036854775807' });
    expect([max.f, max.d, max.dec, max.ok]).toEqual([MAX[5], Number.MAX_VALUE, MAX[7], 1]);
    expect([max.day, max.at]).toEqual(['9999-12-31', '9999-12-31 23:59:59.999']);
    expect(JSON.parse(typeof max.doc === 'string' ? max.doc : JSON.stringify(max.doc))).toEqual(
      JSON.parse(MAX[11] as string),
    );
    expect([max.sd, max.sv, max.et, max.p, max.o]).toEqual([
      '2024-02-29',
      7,
      '2024-02-29 23:59:59.999',
      2,
      '9007199254740000',
    ]);

    const min = await read('min');
    expect(min).toMatchObject({ s: '', txt: '', i: -2147483648, big: '-9223372036854775808', ok: 0 });
    expect([min.f, min.d, min.dec]).toEqual([MIN[5], -5e-324, MIN[7]]);
    expect([min.day, min.at, min.o]).toEqual(['0001-01-01', '1969-12-31 23:59:59.999', '9007199254740001']);

    const nulls = await read('nulls');
    for (const f of FIELDS.slice(1)) expect(nulls[f.name], f.name).toBeNull();
  });
});
