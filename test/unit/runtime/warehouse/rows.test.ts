import { describe, expect, it } from 'vitest';
import { field } from '../../../helpers/feed-spec.js';
import type { DecodedRecord } from '../../../../src/runtime/record.js';
import { chunkRows, prepareRows, type PreparedRow } from '../../../../src/runtime/warehouse/rows.js';

const fields = [field('id', { kind: 'string', maxLength: 64 }), field('at', { kind: 'timestamp' })];

function record(offset: number, at: number, eventTimeMs = at): DecodedRecord {
  return { partition: 0, offset, timestampMs: 0, eventTimeMs, values: [`k${offset}`, at] };
}

describe('warehouse rows', () => {
  it('converts records in batch order and rejects the ones MySQL could not store', () => {
    const tooLate = Date.UTC(10000, 0, 1);
    const { rows, rejected } = prepareRows(
      fields,
      [
        { records: [record(0, 0), record(1, tooLate, 0)] },
        { records: [record(2, 5), record(3, 0, tooLate)] },
      ],
      { snapshotVersion: 0 },
    );
    expect(rows.map((r) => r.record.offset)).toEqual([0, 2]);
    expect(rejected.map((r) => r.record.offset)).toEqual([1, 3]);
    expect(rejected[0]?.failure).toEqual({
      stage: 'write',
      errorClass: 'OutOfRange',
      message: expect.stringMatching(/outside years 1..9999/),
    });
  });

  it('cuts chunks at the row limit, keeping order', () => {
    const rows: PreparedRow[] = Array.from({ length: 2500 }, (_, i) => ({
      record: record(i, 0),
      values: [i],
    }));
    const chunks = chunkRows(rows, 1000);
    expect(chunks.map((c) => c.length)).toEqual([1000, 1000, 500]);
    expect(chunks.flat().map((r) => r.values[0])).toEqual(rows.map((r) => r.values[0]));
  });

  it('cuts chunks at the byte budget, and lets one oversized row stand alone', () => {
    const row = (s: string): PreparedRow => ({ record: record(0, 0), values: [s] });
    const chunks = chunkRows(
      [row('a'.repeat(100)), row('b'.repeat(100)), row('c'.repeat(5000)), row('d')],
      1000,
      700,
    );
    expect(chunks.map((c) => c.map((r) => String(r.values[0]).slice(0, 1)).join(''))).toEqual([
      'ab',
      'c',
      'd',
    ]);
    expect(chunkRows([])).toEqual([]);
  });
});
