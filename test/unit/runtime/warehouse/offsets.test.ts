import { describe, expect, it } from 'vitest';
import { FeedctlError } from '../../../../src/errors.js';
import { checkFence, selectOffsetsSql, storeOffsetsSql } from '../../../../src/runtime/warehouse/offsets.js';

const scope = { feed: 'orders', topic: 'orders.v1' };

describe('warehouse offsets', () => {
  it('locks the partitions in a stable order when asked', () => {
    const locked = selectOffsetsSql(scope, [2, 0], true);
    expect(locked.sql).toMatch(/partition_id IN \(\?\) ORDER BY partition_id FOR UPDATE$/);
    expect(locked.values).toEqual(['orders', 'warehouse', 'orders.v1', [2, 0]]);
    expect(selectOffsetsSql(scope, [0], false).sql).not.toMatch(/FOR UPDATE/);
  });

  it('stores every partition in one upsert with the generation', () => {
    const s = storeOffsetsSql(
      scope,
      7,
      new Map([
        [0, 10],
        [3, 42],
      ]),
    );
    expect(s.sql).toMatch(
      /VALUES \? ON DUPLICATE KEY UPDATE next_offset = VALUES\(next_offset\), generation/,
    );
    expect(s.values).toEqual([
      [
        ['orders', 'warehouse', 'orders.v1', 0, 10, 7],
        ['orders', 'warehouse', 'orders.v1', 3, 42, 7],
      ],
    ]);
  });

  it('passes when every stored offset is the expected one, including none', () => {
    expect(() =>
      checkFence(
        scope,
        new Map([
          [0, 10],
          [1, null],
        ]),
        new Map([
          [0, 10],
          [1, null],
        ]),
      ),
    ).not.toThrow();
  });

  it('refuses with OFFSET_FENCED, not retriable, when a partition moved', () => {
    let err: unknown;
    try {
      checkFence(
        scope,
        new Map([
          [0, 10],
          [1, null],
        ]),
        new Map([
          [0, 10],
          [1, 5],
        ]),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FeedctlError);
    const f = err as FeedctlError;
    expect([f.code, f.retriable, f.context]).toEqual([
      'OFFSET_FENCED',
      false,
      { partition: 1, expected: null, stored: 5 },
    ]);
    expect(f.message).toBe(
      'warehouse: commit offsets orders/orders.v1: partition 1 is at 5, this consumer expected no offset',
    );
  });
});
