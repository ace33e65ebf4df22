import { describe, expect, it } from 'vitest';
import {
  dataFileName,
  hivePartition,
  recordName,
  recordSeq,
  stagingName,
  stagingSeq,
  statePaths,
  temporarySeq,
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
    expect(a.commits).toMatch(/^_feedctl\/commits\/orders\/[0-9a-f]{16}-p0$/);
    expect(a.legacy).toBe(`${a.commits}.json`); // where lakes written before numbered records keep theirs
    expect(statePaths('orders', 'orders.v1', 1).commits).not.toBe(a.commits);
    expect(statePaths('orders', 'orders.v2', 0).commits).not.toBe(a.commits);
  });

  it('names commit records so that names sort like their numbers, and reads the number back', () => {
    const seqs = [0, 1, 9, 10, 99, 100, 123_456_789_012, Number.MAX_SAFE_INTEGER];
    const names = seqs.map(recordName);
    expect(names[1]).toBe('000000000001.json');
    expect([...names].sort()).toEqual(names);
    expect(names.map(recordSeq)).toEqual(seqs);
  });

  it('reads no record number from other names', () => {
    for (const name of ['1.json', '000000000001.json.ab12.tmp', '000000000001', 'x00000000001.json', '']) {
      expect(recordSeq(name)).toBeNull();
    }
    expect(recordSeq('99999999999999999999.json')).toBeNull(); // beyond safe integers
  });

  it('reads the record number of a temporary and of a staging folder', () => {
    expect(temporarySeq(`${recordName(42)}.0a1b2c.tmp`)).toBe(42);
    expect(temporarySeq(recordName(42))).toBeNull();
    expect(temporarySeq('abc-p0.json.0a1b2c.tmp')).toBeNull();
    expect(stagingName(7, 'ab12cd')).toBe('000000000007-ab12cd');
    expect(stagingSeq(stagingName(7, 'ab12cd'))).toBe(7);
    expect(stagingSeq('ab12cd')).toBeNull(); // a writer's folder from before numbered records
  });
});
