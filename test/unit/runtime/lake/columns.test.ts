import { makeVector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { columnBuilder } from '../../../../src/runtime/lake/columns.js';
import type { ColumnType } from '../../../../src/runtime/lake/schema.js';
import type { FieldValue } from '../../../../src/runtime/record.js';

/** Builds one column and reads it back through Arrow's own accessors. */
function build(type: ColumnType, values: FieldValue[], nullable = true) {
  const b = columnBuilder({ name: 'c', type, nullable });
  for (const v of values) b.append(v);
  const data = b.finish();
  return { data, values: [...makeVector(data)] as unknown[], bytes: b.bytes };
}

/** Decimal128 slots come back as 4 little-endian words; this reads them as one signed 128-bit integer. */
const decimalValue = (words: unknown): bigint | null => {
  if (words === null) return null;
  const w = [...(words as Uint32Array)].map(BigInt);
  return BigInt.asIntN(128, w[0]! | (w[1]! << 32n) | (w[2]! << 64n) | (w[3]! << 96n));
};

describe('column buffers to Arrow data', () => {
  it('packs UTF-8 strings, including multi-byte characters, empty strings and nulls', () => {
    const values = [
      'héllo',
      '',
      null,
      '日本語',
      '🚀 emoji',
      'a'.repeat(5000),
      null,
      'ab'.repeat(40) + 'é',
      '日本'.repeat(99),
    ];
    const got = build({ kind: 'utf8' }, values);
    expect(got.values).toEqual(values);
    expect(got.data.nullCount).toBe(2);
  });

  it('stores int32 edges and nulls', () => {
    const values = [0, -1, 2147483647, -2147483648, null, 42];
    expect(build({ kind: 'int32' }, values).values).toEqual(values);
  });

  it('stores bigints beyond 2^53, the int64 extremes, and plain numbers as int64', () => {
    const values: FieldValue[] = [2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n, null, 0n, -5n, 7, -7];
    const want = values.map((v) => (v === null ? null : BigInt(v)));
    expect(build({ kind: 'int64' }, values).values).toEqual(want);
  });

  it('stores float32 and float64 values', () => {
    expect(build({ kind: 'float32' }, [1.5, null, -0.25, Infinity]).values).toEqual([
      1.5,
      null,
      -0.25,
      Infinity,
    ]);
    const doubles = [1e300, -1e-300, Number.NaN, null, 0.1];
    expect(build({ kind: 'float64' }, doubles).values).toEqual(doubles);
  });

  it('stores decimals exactly: negative, zero, padded scale and the maximum precision', () => {
    const type: ColumnType = { kind: 'decimal128', precision: 38, scale: 2 };
    const got = build(type, [
      '-12.30',
      '0.00',
      '5',
      null,
      '999999999999999999999999999999999999.99',
      '-0.01',
    ]);
    expect(got.values.map(decimalValue)).toEqual([-1230n, 0n, 500n, null, 10n ** 38n - 1n, -1n]);
  });

  it('stores booleans as bits, with nulls', () => {
    const values = [true, false, null, true, true, false, false, true, true, null];
    expect(build({ kind: 'bool' }, values).values).toEqual(values);
  });

  it('stores dates as days, before and after 1970', () => {
    const values = [0, -1, -719162, 2932896, null];
    const got = build({ kind: 'date32' }, values);
    expect(got.values).toEqual(values.map((d) => (d === null ? null : d * 86_400_000)));
  });

  it('stores millisecond timestamps, including instants before 1970', () => {
    const values = [0, -1, -86_400_001, Date.UTC(1900, 0, 1), 8.64e15, -8.64e15, null, 1_700_000_000_123];
    expect(build({ kind: 'timestampMs' }, values).values).toEqual(values);
  });

  it('grows past its initial capacity without losing values or validity', () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? null : `v${i}`));
    const got = build({ kind: 'utf8' }, values);
    expect(got.values).toEqual(values);
    expect(got.data.nullCount).toBe(values.filter((v) => v === null).length);
    const ints = Array.from({ length: 3000 }, (_, i) => (i === 2999 ? null : i));
    expect(build({ kind: 'int64' }, ints).values).toEqual(ints.map((v) => (v === null ? null : BigInt(v))));
  });

  it('counts buffered bytes', () => {
    expect(build({ kind: 'int32' }, [1, 2, 3]).bytes).toBe(12);
    expect(build({ kind: 'utf8' }, ['ab', 'é']).bytes).toBe(4 + 2 * 4);
  });

  it('refuses null in a non-nullable column', () => {
    const b = columnBuilder({ name: 'qty', type: { kind: 'int32' }, nullable: false });
    expect(() => b.append(null)).toThrow(/encode column qty: null in a non-nullable column/);
  });
});
