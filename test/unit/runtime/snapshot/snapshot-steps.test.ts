import { describe, expect, it } from 'vitest';
import type { DecodedRecord } from '../../../../src/runtime/record.js';
import { snapshotSteps, type SnapshotStep } from '../../../../src/runtime/snapshot/steps.js';

function row(offset: number, version: number, date: number | null = null): DecodedRecord {
  const at = { partition: 0, offset, timestampMs: 1000, eventTimeMs: 1000 };
  return { ...at, values: [offset], snapshot: { end: false, version, date } };
}

function marker(offset: number, version: number, rows: number | null = null): DecodedRecord {
  const at = { partition: 0, offset, timestampMs: 1000, eventTimeMs: 1000 };
  return { ...at, values: [], snapshot: { end: true, version, rows } };
}

/** Steps with their records reduced to offsets. */
function shape(steps: SnapshotStep[]) {
  return steps.map((s) => (s.kind === 'rows' ? { ...s, records: s.records.map((r) => r.offset) } : s));
}

const none = { sealed: 0, published: 0 };

describe('snapshot steps, marker seal', () => {
  it('write the rows of one version as one run reaching the next offset', () => {
    const plan = snapshotSteps(none, [row(10, 1, 20_000), row(11, 1), row(13, 1)], 20, 'marker');
    expect(shape(plan.steps)).toEqual([
      { kind: 'rows', version: 1, date: 20_000, records: [10, 11, 13], end: 20 },
    ]);
    expect(plan.stale).toEqual([]);
  });

  it('end a run at the end marker, seal its version there, then start the next version', () => {
    const records = [row(10, 1), row(11, 1), marker(12, 1, 2), row(13, 2, 7), row(14, 2)];
    const plan = snapshotSteps(none, records, 15, 'marker');
    expect(shape(plan.steps)).toEqual([
      { kind: 'rows', version: 1, date: null, records: [10, 11], end: 12 },
      { kind: 'seal', version: 1, through: false, expected: 2, at: 12, next: 13, marker: true },
      { kind: 'rows', version: 2, date: 7, records: [13, 14], end: 15 },
    ]);
    expect(plan.stale).toEqual([]);
  });

  it('seal at a marker that ends the batch, the offset past it left to the caller', () => {
    const plan = snapshotSteps(none, [row(4, 1), marker(5, 1)], 6, 'marker');
    expect(shape(plan.steps)).toEqual([
      { kind: 'rows', version: 1, date: null, records: [4], end: 5 },
      { kind: 'seal', version: 1, through: false, expected: null, at: 5, next: 6, marker: true },
    ]);
  });

  it('split runs when versions interleave before any marker', () => {
    const plan = snapshotSteps(none, [row(0, 1), row(1, 2), row(2, 1)], 3, 'marker');
    expect(shape(plan.steps).map((s) => [s.kind, s.version, s.kind === 'rows' ? s.end : s.at])).toEqual([
      ['rows', 1, 1],
      ['rows', 2, 2],
      ['rows', 1, 3],
    ]);
  });

  it('set rows of a sealed or published version aside as stale, in no run', () => {
    const records = [row(0, 1), row(1, 2), row(2, 3), row(3, 2)];
    const plan = snapshotSteps({ sealed: 2, published: 1 }, records, 4, 'marker');
    expect(shape(plan.steps)).toEqual([{ kind: 'rows', version: 3, date: null, records: [2], end: 4 }]);
    expect(plan.stale.map((s) => s.record.offset)).toEqual([0, 1, 3]);
    for (const s of plan.stale)
      expect(s.failure).toMatchObject({ stage: 'snapshot', errorClass: 'StaleVersion' });
    expect(plan.stale[0]?.failure.message).toBe(
      'a row of snapshot version 1 arrived after its end: version 1 is already published',
    );
    expect(plan.stale[1]?.failure.message).toBe(
      'a row of snapshot version 2 arrived after its end: this partition already sealed version 2',
    );
  });

  it('set aside a row of a version sealed earlier in the same batch', () => {
    const plan = snapshotSteps(none, [row(0, 1), marker(1, 1), row(2, 1), row(3, 2)], 4, 'marker');
    expect(plan.stale.map((s) => s.record.offset)).toEqual([2]);
    expect(shape(plan.steps).map((s) => s.kind)).toEqual(['rows', 'seal', 'rows']);
    expect(shape(plan.steps)[2]).toEqual({ kind: 'rows', version: 2, date: null, records: [3], end: 4 });
  });

  it('skip a marker at or below the published version (a replay)', () => {
    const plan = snapshotSteps(
      { sealed: 3, published: 3 },
      [row(0, 4), marker(1, 3), row(2, 4)],
      3,
      'marker',
    );
    expect(shape(plan.steps)).toEqual([{ kind: 'rows', version: 4, date: null, records: [0, 2], end: 3 }]);
    expect(plan.stale).toEqual([]);
  });

  it('seal again at the marker of a version the partition already sealed (idempotent)', () => {
    const plan = snapshotSteps({ sealed: 2, published: 1 }, [marker(30, 2, 5)], 31, 'marker');
    expect(shape(plan.steps)).toEqual([
      { kind: 'seal', version: 2, through: false, expected: 5, at: 30, next: 31, marker: true },
    ]);
  });

  it('plan nothing for an empty batch or untagged records', () => {
    expect(snapshotSteps(none, [], 5, 'marker')).toEqual({ steps: [], stale: [] });
    const untagged: DecodedRecord = { partition: 0, offset: 4, timestampMs: 0, eventTimeMs: 0, values: [1] };
    expect(snapshotSteps(none, [untagged], 5, 'marker')).toEqual({ steps: [], stale: [] });
  });
});

describe('snapshot steps, nextVersion seal', () => {
  it('seal through the previous version at the offset of the first row of the next', () => {
    const plan = snapshotSteps(none, [row(0, 1), row(1, 1), row(2, 2), row(3, 2)], 4, 'nextVersion');
    expect(shape(plan.steps)).toEqual([
      { kind: 'rows', version: 1, date: null, records: [0, 1], end: 2 },
      { kind: 'seal', version: 1, through: true, expected: null, at: 2, next: 2, marker: false },
      { kind: 'rows', version: 2, date: null, records: [2, 3], end: 4 },
    ]);
  });

  it('do not seal before the first version', () => {
    const plan = snapshotSteps(none, [row(0, 1)], 1, 'nextVersion');
    expect(shape(plan.steps)).toEqual([{ kind: 'rows', version: 1, date: null, records: [0], end: 1 }]);
  });

  it('seal through every version skipped by a jump', () => {
    const plan = snapshotSteps({ sealed: 3, published: 3 }, [row(20, 6), row(21, 6)], 22, 'nextVersion');
    expect(shape(plan.steps)).toEqual([
      { kind: 'seal', version: 5, through: true, expected: null, at: 20, next: 20, marker: false },
      { kind: 'rows', version: 6, date: null, records: [20, 21], end: 22 },
    ]);
  });

  it('make rows of the version sealed by a later row stale', () => {
    const plan = snapshotSteps(none, [row(0, 1), row(1, 2), row(2, 1)], 3, 'nextVersion');
    expect(plan.stale.map((s) => s.record.offset)).toEqual([2]);
    expect(shape(plan.steps).map((s) => s.kind)).toEqual(['rows', 'seal', 'rows']);
    expect(shape(plan.steps)[2]).toMatchObject({ version: 2, records: [1], end: 3 });
  });

  it('seal through a marker’s version, and no second time at the next row', () => {
    const plan = snapshotSteps(none, [row(0, 1), marker(1, 1, 1), row(2, 2)], 3, 'nextVersion');
    expect(shape(plan.steps)).toEqual([
      { kind: 'rows', version: 1, date: null, records: [0], end: 1 },
      { kind: 'seal', version: 1, through: true, expected: 1, at: 1, next: 2, marker: true },
      { kind: 'rows', version: 2, date: null, records: [2], end: 3 },
    ]);
  });
});

describe('snapshot steps, idle seal', () => {
  it('seal through a marker’s version and never at a row of a later version', () => {
    const plan = snapshotSteps(none, [row(0, 1), row(1, 2), marker(2, 2, 1), row(3, 3)], 4, 'idle');
    expect(shape(plan.steps)).toEqual([
      { kind: 'rows', version: 1, date: null, records: [0], end: 1 },
      { kind: 'rows', version: 2, date: null, records: [1], end: 2 },
      { kind: 'seal', version: 2, through: true, expected: 1, at: 2, next: 3, marker: true },
      { kind: 'rows', version: 3, date: null, records: [3], end: 4 },
    ]);
  });
});
