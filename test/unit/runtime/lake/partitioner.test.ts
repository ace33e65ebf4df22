import { describe, expect, it } from 'vitest';
import { dayPartitioner } from '../../../../src/runtime/lake/partitioner.js';
import type { DecodedRecord } from '../../../../src/runtime/record.js';

describe('the day partitioner of streams', () => {
  it('keys a record by the UTC day of its event time and names that day’s hive folder', () => {
    const p = dayPartitioner('orders');
    const at = (iso: string) => ({ eventTimeMs: Date.parse(iso) }) as DecodedRecord;
    expect(p.keyOf(at('2025-01-28T23:59:59.999Z'))).toBe(p.keyOf(at('2025-01-28T00:00:00Z')));
    expect(p.keyOf(at('2025-01-29T00:00:00Z'))).toBe(p.keyOf(at('2025-01-28T00:00:00Z')) + 1);
    expect(p.dir(p.keyOf(at('2025-01-28T12:00:00+05:00')))).toBe('streams/orders/year=2025/month=01/day=28');
  });
});
