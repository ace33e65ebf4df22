import { describe, expect, it } from 'vitest';
import { field } from '../../../helpers/feed-spec.js';
import type { DecodedRecord } from '../../../../src/runtime/record.js';
import {
  formatDate,
  formatTimestamp,
  rowValues,
  sqlValue,
  ValueRejected,
} from '../../../../src/runtime/warehouse/values.js';

describe('warehouse value conversion', () => {
  it('renders timestamps as UTC DATETIME(3) text with milliseconds', () => {
    expect(formatTimestamp(Date.UTC(2025, 0, 2, 3, 4, 5, 67))).toBe('2025-01-02 03:04:05.067');
    expect(formatTimestamp(0)).toBe('1970-01-01 00:00:00.000');
    expect(formatTimestamp(-1)).toBe('1969-12-31 23:59:59.999');
    expect(formatTimestamp(Date.UTC(9999, 11, 31, 23, 59, 59, 999))).toBe('9999-12-31 23:59:59.999');
    expect(formatTimestamp(-62_135_596_800_000)).toBe('0001-01-01 00:00:00.000');
  });

  it('rejects times outside years 1..9999 and non-finite numbers', () => {
    expect(() => formatTimestamp(Date.UTC(10000, 0, 1))).toThrow(ValueRejected);
    expect(() => formatTimestamp(-62_135_596_800_001)).toThrow(ValueRejected);
    expect(() => formatTimestamp(Number.NaN)).toThrow(ValueRejected);
    expect(() => sqlValue({ kind: 'double' }, Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
  });

  it('renders dates from days since the epoch', () => {
    expect(formatDate(0)).toBe('1970-01-01');
    expect(formatDate(20_000)).toBe('2024-10-04');
    expect(formatDate(-1)).toBe('1969-12-31');
  });

  it('converts every field kind to an exact SQL parameter', () => {
    expect(sqlValue({ kind: 'bigint' }, 9223372036854775807n)).toBe('9223372036854775807');
    expect(sqlValue({ kind: 'bigint' }, -9223372036854775808n)).toBe('-9223372036854775808');
    expect(sqlValue({ kind: 'decimal', precision: 38, scale: 10 }, '-1234.5000000000')).toBe(
      '-1234.5000000000',
    );
    expect(sqlValue({ kind: 'boolean' }, true)).toBe(1);
    expect(sqlValue({ kind: 'boolean' }, false)).toBe(0);
    expect(sqlValue({ kind: 'int' }, -7)).toBe(-7);
    expect(sqlValue({ kind: 'double' }, 0.1)).toBe(0.1);
    expect(sqlValue({ kind: 'json' }, '{"a":[1,2]}')).toBe('{"a":[1,2]}');
    expect(sqlValue({ kind: 'string', maxLength: 8 }, 'héllo 👋')).toBe('héllo 👋');
    expect(sqlValue({ kind: 'date' }, 1)).toBe('1970-01-02');
  });

  it('lays out a row: fields, snapshot_date, snapshot_version, _event_time, partition, offset', () => {
    const fields = [field('id', { kind: 'string', maxLength: 8 }), field('n', { kind: 'int' }, true)];
    const record: DecodedRecord = {
      partition: 2,
      offset: 41,
      timestampMs: 5,
      eventTimeMs: Date.UTC(2025, 5, 30, 23, 59, 59, 999),
      values: ['a', null],
    };
    expect(rowValues(fields, record, { snapshotVersion: 3 })).toEqual([
      'a',
      null,
      '2025-06-30',
      3,
      '2025-06-30 23:59:59.999',
      2,
      41,
    ]);
  });
});

describe('warehouse timestamp formatting agrees with Date#toISOString', () => {
  it('on every day boundary region and on random instants across years 1..9999', () => {
    const iso = (ms: number) => {
      const s = new Date(ms).toISOString();
      return `${s.slice(0, 10)} ${s.slice(11, 23)}`;
    };
    const samples = [0, -1, 1, 951_782_400_000, 951_868_799_999, 4_107_542_399_999, -62_135_596_800_000];
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 20_000; i++) {
      samples.push(Math.floor(-62_135_596_800_000 + next() * (253_402_300_799_999 + 62_135_596_800_000)));
    }
    for (const ms of samples) expect(formatTimestamp(ms), String(ms)).toBe(iso(ms));
  });
});
