import { describe, expect, it } from 'vitest';
import { ConsumerProgress } from '../../../../src/runtime/consumer/progress.js';
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
