import { describe, expect, it } from 'vitest';
import { field } from '../../../helpers/feed-spec.js';
import type { DecodedRecord } from '../../../../src/runtime/record.js';
import { preparedChunks, type RejectedRecord } from '../../../../src/runtime/warehouse/rows.js';

const fields = [field('id', { kind: 'string', maxLength: 64 }), field('at', { kind: 'timestamp' })];
const ctx = { snapshotVersion: 0 };

function record(offset: number, at = 0, eventTimeMs = at, id = `k${offset}`): DecodedRecord {
  return { partition: 0, offset, timestampMs: 0, eventTimeMs, values: [id, at] };
}

describe('warehouse chunks', () => {
  it('converts records in batch order and rejects the ones MySQL could not store', () => {
    const tooLate = Date.UTC(10000, 0, 1);
    const rejected: RejectedRecord[] = [];
    const chunks = [
      ...preparedChunks(
        fields,
        [{ records: [record(0), record(1, tooLate, 0)] }, { records: [record(2, 5), record(3, 0, tooLate)] }],
        ctx,
        rejected,
      ),
    ];
    expect(chunks.map((c) => c.map((r) => r.record.offset))).toEqual([[0, 2]]);
    expect(chunks[0]?.[1]?.values).toEqual([
      'k2',
      '1970-01-01 00:00:00.005',
      '1970-01-01',
      0,
      '1970-01-01 00:00:00.005',
      0,
      2,
    ]);
    expect(rejected.map((r) => r.record.offset)).toEqual([1, 3]);
    expect(rejected[0]?.failure).toEqual({
      stage: 'write',
      errorClass: 'OutOfRange',
      message: expect.stringMatching(/outside years 1..9999/),
    });
  });

  it('cuts chunks at the row limit, keeping order', () => {
    const records = Array.from({ length: 2500 }, (_, i) => record(i));
    const chunks = [
      ...preparedChunks(
        fields,
        [{ records: records.slice(0, 1200) }, { records: records.slice(1200) }],
        ctx,
        [],
        1000,
      ),
    ];
    expect(chunks.map((c) => c.length)).toEqual([1000, 1000, 500]);
    expect(chunks.flat().map((r) => r.record.offset)).toEqual(records.map((r) => r.offset));
  });

  it('cuts chunks at the byte budget, and lets one oversized row stand alone', () => {
    const records = [
      record(0, 0, 0, 'a'.repeat(100)),
      record(1, 0, 0, 'b'.repeat(100)),
      record(2, 0, 0, 'c'.repeat(5000)),
      record(3, 0, 0, 'd'),
    ];
    const chunks = [...preparedChunks(fields, [{ records }], ctx, [], 1000, 1200)];
    expect(chunks.map((c) => c.map((r) => r.record.offset))).toEqual([[0, 1], [2], [3]]);
    expect([...preparedChunks(fields, [], ctx, [])]).toEqual([]);
  });

  it('converts lazily: a chunk only when it is pulled', () => {
    const rejected: RejectedRecord[] = [];
    const bad = record(1500, Date.UTC(10000, 0, 1));
    const it = preparedChunks(
      fields,
      [{ records: [...Array.from({ length: 1500 }, (_, i) => record(i)), bad] }],
      ctx,
      rejected,
    );
    expect(it.next().value).toHaveLength(1000);
    expect(rejected).toHaveLength(0);
    expect(it.next().value).toHaveLength(500);
    expect(rejected).toHaveLength(1);
  });
});
