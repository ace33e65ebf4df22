import { describe, expect, it } from 'vitest';
import { ConsumerProgress, deadLetterReason } from '../../../../src/runtime/consumer/progress.js';
import type { DeadLetter } from '../../../../src/runtime/dlq/headers.js';
import { RuntimeMetrics } from '../../../../src/runtime/metrics.js';

const STALL_MS = 10_000;

function progress() {
  const metrics = new RuntimeMetrics();
  const p = new ConsumerProgress('orders', 'orders', 'warehouse', 1, metrics, STALL_MS);
  p.assigned([0, 1]);
  return { p, metrics };
}

describe('consumer lag and stalls', () => {
  it('is the log end minus the sink durable offset, per partition', () => {
    const { p } = progress();
    p.durable(0, 100);
    p.durable(1, null);
    p.observed([
      { partition: 0, low: 0, high: 150 },
      { partition: 1, low: 20, high: 50 },
      { partition: 2, low: 0, high: 999 }, // not assigned here
    ]);
    const s = p.status();
    expect(s.lagByPartition).toEqual({ '0': 50, '1': 30 });
    expect(s.lag).toBe(80);
    expect(s.committed).toEqual({ '0': 100 });
  });

  it('reports a partition stalled only after lag without durable progress for the threshold', async () => {
    const { p, metrics } = progress();
    p.durable(0, 100);
    p.durable(1, 10);
    const t0 = 1_000_000;
    p.observed(
      [
        { partition: 0, low: 0, high: 150 },
        { partition: 1, low: 0, high: 10 },
      ],
      t0,
    );
    p.observed(
      [
        { partition: 0, low: 0, high: 150 },
        { partition: 1, low: 0, high: 10 },
      ],
      t0 + STALL_MS - 1,
    );
    expect(p.status().stalled).toEqual([]);
    p.observed(
      [
        { partition: 0, low: 0, high: 150 },
        { partition: 1, low: 0, high: 10 },
      ],
      t0 + STALL_MS,
    );
    expect(p.status().stalled).toEqual([0]);
    const gauge = await metrics.registry.getSingleMetricAsString('feedctl_consumer_stalled');
    expect(gauge).toContain('feedctl_consumer_stalled{feed="orders",destination="warehouse"} 1');

    p.durable(0, 120); // progress restarts the clock
    p.observed(
      [
        { partition: 0, low: 0, high: 150 },
        { partition: 1, low: 0, high: 10 },
      ],
      t0 + STALL_MS + 1,
    );
    expect(p.status().stalled).toEqual([]);
    p.durable(0, 150);
    p.observed(
      [
        { partition: 0, low: 0, high: 150 },
        { partition: 1, low: 0, high: 10 },
      ],
      t0 + 10 * STALL_MS,
    );
    expect(p.status()).toMatchObject({ stalled: [], lag: 0 });
  });

  it('forgets revoked partitions', () => {
    const { p } = progress();
    p.durable(0, 5);
    p.durable(1, 5);
    p.observed([
      { partition: 0, low: 0, high: 9 },
      { partition: 1, low: 0, high: 7 },
    ]);
    p.assigned([1]);
    expect(p.status()).toMatchObject({
      partitions: [1],
      lag: 2,
      lagByPartition: { '1': 2 },
      committed: { '1': 5 },
    });
  });
});

const letter = (
  partition: number,
  offset: number,
  failure: DeadLetter['failure'] = { stage: 'parse', errorClass: 'InvalidJson', message: 'Unexpected token' },
): DeadLetter => ({
  message: {
    partition,
    offset,
    timestampMs: 0,
    key: Buffer.from('secret-key'),
    value: Buffer.from('secret-value'),
    headers: {},
  },
  topic: 'orders',
  failure,
});

describe('what a consumer reports for the status page', () => {
  it('keeps the last five dead letters, newest first, with coordinates and why but no payload', () => {
    let now = Date.parse('2026-11-27T10:00:00.000Z');
    const p = new ConsumerProgress('orders', 'orders', 'lake', 1, new RuntimeMetrics(), STALL_MS, () => now);
    expect(p.status().recentDeadLetters).toEqual([]);
    p.deadLettered([letter(0, 3), letter(1, 4)]);
    now += 1000;
    const long = { stage: 'write' as const, errorClass: 'DataTooLong', message: 'x'.repeat(500) };
    p.deadLettered([letter(0, 7), letter(0, 8), letter(0, 9), letter(1, 10, long)]);
    const s = p.status();
    expect(s.deadLetters).toBe(6);
    expect(s.recentDeadLetters.map((d) => `${d.partition}@${d.offset}`)).toEqual([
      '1@10',
      '0@9',
      '0@8',
      '0@7',
      '1@4',
    ]);
    expect(s.recentDeadLetters[1]).toEqual({
      at: '2026-11-27T10:00:01.000Z',
      partition: 0,
      offset: '9',
      stage: 'parse',
      reason: 'InvalidJson: the value is not valid JSON',
    });
    expect(s.recentDeadLetters[4]?.at).toBe('2026-11-27T10:00:00.000Z');
    const cut = s.recentDeadLetters[0]?.reason ?? '';
    expect(cut).toMatch(/^DataTooLong: x+…$/);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(200);
    expect(JSON.stringify(s)).not.toContain('secret');
    // A batch of more than five keeps its last five.
    p.deadLettered(Array.from({ length: 8 }, (_, i) => letter(2, 100 + i)));
    expect(p.status().recentDeadLetters.map((d) => d.offset)).toEqual(['107', '106', '105', '104', '103']);
  });

  it('never quotes the value: a parse failure shows its class alone', () => {
    const failure = {
      stage: 'parse' as const,
      errorClass: 'InvalidJson',
      message: `"card 4111" is not valid JSON`,
    };
    expect(deadLetterReason(failure)).toBe('InvalidJson: the value is not valid JSON');
  });

  it('masks passwords in a reason', () => {
    const failure = { stage: 'write' as const, errorClass: 'Refused', message: 'via mysql://u:hunter2@db' };
    expect(deadLetterReason(failure)).toBe('Refused: via mysql://u:***@db');
  });

  it('reports the last durable write and the message rate on its clock', () => {
    const t0 = Date.parse('2026-11-27T10:00:00.000Z');
    let now = t0;
    const p = new ConsumerProgress('orders', 'orders', 'lake', 1, new RuntimeMetrics(), STALL_MS, () => now);
    expect(p.status()).toMatchObject({ lastWrite: null, rate: { perSecond1m: 0, perSecond5m: 0 } });
    now = t0 + 4000;
    p.advanced(40);
    p.wrote('streams/orders/year=2026/month=11/day=27/p0-0-39-abcdef01.parquet');
    now = t0 + 8000;
    expect(p.status()).toMatchObject({
      startedAt: '2026-11-27T10:00:00.000Z',
      rate: { perSecond1m: 5, perSecond5m: 5 },
      lastWrite: {
        at: '2026-11-27T10:00:04.000Z',
        file: 'streams/orders/year=2026/month=11/day=27/p0-0-39-abcdef01.parquet',
      },
    });
    p.wrote(null);
    expect(p.status().lastWrite).toEqual({ at: '2026-11-27T10:00:08.000Z', file: null });
  });

  it('copies what it reports: a status is not changed by later progress, nor progress by a status', () => {
    const p = new ConsumerProgress('orders', 'orders', 'lake', 1, new RuntimeMetrics(), STALL_MS);
    p.deadLettered([letter(0, 1)]);
    p.wrote('a.parquet');
    const before = p.status();
    const copy = structuredClone(before);
    (before.lastWrite as { file: string | null }).file = 'changed';
    (before.recentDeadLetters[0] as { offset: string }).offset = 'changed';
    before.recentDeadLetters.push(before.recentDeadLetters[0] as (typeof before.recentDeadLetters)[0]);
    before.rate.perSecond1m = 99;
    const after = p.status();
    expect(after.lastWrite).toEqual(copy.lastWrite);
    expect(after.recentDeadLetters).toEqual(copy.recentDeadLetters);
    p.deadLettered([letter(0, 2)]);
    p.wrote('b.parquet');
    expect(after.recentDeadLetters).toEqual(copy.recentDeadLetters);
    expect(after.lastWrite).toEqual(copy.lastWrite);
  });
});
