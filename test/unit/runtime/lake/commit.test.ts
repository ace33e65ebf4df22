import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../../../src/runtime/lake/commit.js';

const valid = {
  topic: 'orders.v1',
  partition: 2,
  nextOffset: 40,
  files: ['streams/a.parquet'],
  writer: 'ab12',
};
const text = (r: unknown): string => JSON.stringify(r);

describe('lake commit record parsing', () => {
  it('reads a record, and a claim of a partition that never committed', () => {
    expect(parseRecord(text(valid))).toEqual(valid);
    const claim = { ...valid, nextOffset: null, files: [] };
    expect(parseRecord(text(claim))).toEqual(claim);
  });

  it('reads the rows counted per snapshot version of a table feed', () => {
    const counted = { ...valid, counts: { '1': 0, '2': 1000, '2147483647': 5 } };
    expect(parseRecord(text(counted))).toEqual(counted);
    expect(parseRecord(text({ ...valid, counts: {} }))).toEqual({ ...valid, counts: {} });
  });

  it.each([
    ['a half-written record', text(valid).slice(0, 30)],
    ['null', 'null'],
    ['a missing offset', text({ ...valid, nextOffset: undefined })],
    ['a fractional offset', text({ ...valid, nextOffset: 1.5 })],
    ['a non-string file', text({ ...valid, files: [1] })],
    ['a writer that is not a folder-safe id', text({ ...valid, writer: '../x' })],
    ['a partition as text', text({ ...valid, partition: '2' })],
    ['a negative count', text({ ...valid, counts: { '3': -1 } })],
    ['a fractional count', text({ ...valid, counts: { '3': 1.5 } })],
    ['a count as text', text({ ...valid, counts: { '3': '7' } })],
    ['a count beyond 2^53', text({ ...valid, counts: { '3': 2 ** 53 } })],
    ['a non-numeric count key', text({ ...valid, counts: { v3: 7 } })],
    ['a negative count key', text({ ...valid, counts: { '-3': 7 } })],
    ['counts as a list', text({ ...valid, counts: [7] })],
    ['null counts', text({ ...valid, counts: null })],
  ])('refuses %s', (_, input) => {
    expect(parseRecord(input)).toBeNull();
  });
});
