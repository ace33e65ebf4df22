import { describe, expect, it } from 'vitest';
import { verdicts, type PartitionRow } from '../../../../src/runtime/snapshot/verdict.js';

function p(
  version: number,
  partition: number,
  rowsWritten: number,
  sealed = true,
  rowsExpected: number | null = null,
): PartitionRow {
  return { version, partition, rowsWritten, rowsExpected, sealed };
}

describe('verdicts, marker seal', () => {
  it('seal a version when every partition sealed it, with the sum of their rows', () => {
    const rows = [p(1, 0, 10), p(1, 1, 20), p(1, 2, 5)];
    expect(verdicts([1], rows, 3, 'marker')).toEqual([{ version: 1, state: 'sealed', rows: 35 }]);
  });

  it('keep a version open while one partition has not sealed it', () => {
    const rows = [p(1, 0, 10), p(1, 1, 20, false), p(1, 2, 5)];
    expect(verdicts([1], rows, 3, 'marker')).toEqual([{ version: 1, state: 'open' }]);
  });

  it('keep a version open while a partition has no row for it at all', () => {
    expect(verdicts([1], [p(1, 0, 10), p(1, 2, 5)], 3, 'marker')).toEqual([{ version: 1, state: 'open' }]);
  });

  it('not count the seal of a higher version for a lower one', () => {
    const rows = [p(1, 0, 10), p(1, 1, 4, false), p(2, 1, 7)];
    expect(verdicts([1, 2], rows, 2, 'marker')).toEqual([
      { version: 1, state: 'open' },
      { version: 2, state: 'open' },
    ]);
  });

  it('seal a version whose counts match the end markers', () => {
    const rows = [p(1, 0, 1000, true, 1000), p(1, 1, 0, true, 0)];
    expect(verdicts([1], rows, 2, 'marker')).toEqual([{ version: 1, state: 'sealed', rows: 1000 }]);
  });

  it('mark a version incomplete when a partition wrote other than its end marker says', () => {
    const rows = [p(1, 0, 500, true, 500), p(1, 1, 1000, true, 1001)];
    expect(verdicts([1], rows, 2, 'marker')).toEqual([
      {
        version: 1,
        state: 'incomplete',
        rows: 1500,
        reason: 'partition 1: 1000 rows written, end marker says 1001',
      },
    ]);
  });

  it('list every wrong partition in partition order', () => {
    const rows = [p(1, 2, 3, true, 2), p(1, 0, 10, true, 11), p(1, 1, 5, true, 5)];
    expect(verdicts([1], rows, 3, 'marker')).toEqual([
      {
        version: 1,
        state: 'incomplete',
        rows: 18,
        reason:
          'partition 0: 10 rows written, end marker says 11; partition 2: 3 rows written, end marker says 2',
      },
    ]);
  });

  it('judge unsorted open versions in ascending order', () => {
    const rows = [p(3, 0, 1), p(1, 0, 2), p(2, 0, 3, false)];
    expect(verdicts([3, 1, 2], rows, 1, 'marker')).toEqual([
      { version: 1, state: 'sealed', rows: 2 },
      { version: 2, state: 'open' },
      { version: 3, state: 'sealed', rows: 1 },
    ]);
  });

  it('return nothing for no open version', () => {
    expect(verdicts([], [p(1, 0, 1)], 1, 'marker')).toEqual([]);
  });
});

describe.each(['nextVersion', 'idle'] as const)('verdicts, %s seal', (mode) => {
  it('seal a version when every partition sealed it or a higher one', () => {
    // partition 0 sealed version 1 itself; partition 1 sealed through 3 at a later seal, counting its rows of 1
    const rows = [p(1, 0, 10), p(1, 1, 4, false), p(3, 1, 0)];
    expect(verdicts([1, 2, 3], rows, 2, mode)).toEqual([
      { version: 1, state: 'sealed', rows: 14 },
      { version: 2, state: 'open' },
      { version: 3, state: 'open' },
    ]);
  });

  it('seal a version no partition wrote once every partition sealed past it', () => {
    const rows = [p(4, 0, 0), p(4, 1, 0)];
    expect(verdicts([2], rows, 2, mode)).toEqual([{ version: 2, state: 'sealed', rows: 0 }]);
  });

  it('keep a version open while a partition sealed only below it', () => {
    const rows = [p(2, 0, 1), p(1, 1, 1), p(2, 1, 5, false)];
    expect(verdicts([2], rows, 2, mode)).toEqual([{ version: 2, state: 'open' }]);
  });

  it('check counts against end markers too', () => {
    const rows = [p(2, 0, 7, true, 8), p(2, 1, 1)];
    expect(verdicts([2], rows, 2, mode)).toEqual([
      { version: 2, state: 'incomplete', rows: 8, reason: 'partition 0: 7 rows written, end marker says 8' },
    ]);
  });
});
