import { describe, expect, it } from 'vitest';
import {
  dataFileName,
  hivePartition,
  statePaths,
  streamDir,
  tableDir,
  utcDay,
} from '../../../../src/runtime/lake/paths.js';

const day = (iso: string): string => hivePartition(utcDay(Date.parse(iso)));

describe('lake paths and names', () => {
  it('puts an instant in its UTC day, at both sides of midnight', () => {
    expect(day('2024-02-28T23:59:59.999Z')).toBe('year=2024/month=02/day=28');
    expect(day('2024-02-29T00:00:00.000Z')).toBe('year=2024/month=02/day=29');
    expect(day('2024-03-01T00:30:00.000+01:00')).toBe('year=2024/month=02/day=29');
    expect(day('2024-12-31T23:59:59.999Z')).toBe('year=2024/month=12/day=31');
    expect(day('2025-01-01T00:00:00.000Z')).toBe('year=2025/month=01/day=01');
  });

  it('handles instants before 1970 and far dates', () => {
    expect(utcDay(-1)).toBe(-1);
    expect(utcDay(0)).toBe(0);
    expect(day('1969-12-31T23:59:59.999Z')).toBe('year=1969/month=12/day=31');
    expect(day('0999-03-04T05:06:07Z')).toBe('year=0999/month=03/day=04');
  });

  it('builds stream and table folders', () => {
    expect(streamDir('orders', utcDay(Date.UTC(2024, 0, 5, 12)))).toBe(
      'streams/orders/year=2024/month=01/day=05',
    );
    expect(tableDir('customers', 17)).toBe('tables/customers/version=17');
  });

  it('names files deterministically by partition, offsets and topic', () => {
    const name = dataFileName('orders.v1', 3, 100, 250);
    expect(name).toMatch(/^p3-100-250-[0-9a-f]{8}\.parquet$/);
    expect(dataFileName('orders.v1', 3, 100, 250)).toBe(name);
    expect(dataFileName('orders.v2', 3, 100, 250)).not.toBe(name);
  });

  it('keeps state under _feedctl, per feed, topic and partition', () => {
    const a = statePaths('orders', 'orders.v1', 0);
    expect(a.staging).toMatch(/^_feedctl\/staging\/orders\/[0-9a-f]{16}-p0$/);
    expect(a.commit).toMatch(/^_feedctl\/commits\/orders\/[0-9a-f]{16}-p0\.json$/);
    expect(statePaths('orders', 'orders.v1', 1).commit).not.toBe(a.commit);
    expect(statePaths('orders', 'orders.v2', 0).commit).not.toBe(a.commit);
  });
});
