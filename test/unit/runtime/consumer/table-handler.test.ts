import { describe, expect, it } from 'vitest';
import type { RejectSink } from '../../../../src/runtime/consumer/handler.js';
import { TableHandler, type SnapshotTarget } from '../../../../src/runtime/consumer/table-handler.js';
import { RuntimeMetrics } from '../../../../src/runtime/metrics.js';
import type { DecodedRecord } from '../../../../src/runtime/record.js';
import type { Publisher, Seal, SnapshotLedger } from '../../../../src/runtime/snapshot/ledger.js';
import type { RowsStep } from '../../../../src/runtime/snapshot/steps.js';
import type { SealMode } from '../../../../src/runtime/snapshot/verdict.js';
import type { RejectedRecord } from '../../../../src/runtime/warehouse/rows.js';
import { feedSpec } from '../../../helpers/feed-spec.js';

type Call = [string, ...unknown[]];

function row(offset: number, version: number): DecodedRecord {
  const at = { partition: 0, offset, timestampMs: 1000, eventTimeMs: 1000 };
  return { ...at, values: [offset], snapshot: { end: false, version, date: null } };
}

function marker(offset: number, version: number, rows: number | null = null): DecodedRecord {
  const at = { partition: 0, offset, timestampMs: 1000, eventTimeMs: 1000 };
  return { ...at, values: [], snapshot: { end: true, version, rows } };
}

interface Options {
  reportsInvalid?: boolean;
  /** Throws once from the nth makeDurable or advance call. */
  failDurableAt?: number;
  mode?: SealMode;
  /** The ledger's highest open version. */
  highestOpen?: number;
}

/**
 * A table handler over an in-memory target and ledger of one partition, logging every call in order. The ledger
 * publishes a version as soon as it is sealed (one partition); the target counts rows per version it wrote.
 */
function harness(o: Options = {}) {
  const calls: Call[] = [];
  const written = new Map<number, number[]>();
  const sealedNotPublished: number[] = [];
  let durableCalls = 0;
  const target: SnapshotTarget = {
    destination: 'warehouse',
    idempotent: true,
    reportsInvalid: o.reportsInvalid ?? true,
    holdsMs: 0,
    start: async () => {
      calls.push(['start']);
      return null;
    },
    writeRows: async (_p, step: RowsStep) => {
      const offsets = step.records.map((r) => r.offset);
      calls.push(['writeRows', step.version, offsets, step.end]);
      written.set(step.version, [...(written.get(step.version) ?? []), ...offsets]);
      return null;
    },
    makeDurable: async (_p, offset) => {
      calls.push(['makeDurable', offset]);
      if (++durableCalls === o.failDurableAt) throw new Error('disk full');
      return offset;
    },
    advance: async (_p, offset) => {
      calls.push(['advance', offset]);
      if (++durableCalls === o.failDurableAt) throw new Error('disk full');
      return offset;
    },
    counted: (_p, version) => new Map([[version, written.get(version)?.length ?? 0]]),
    sealed: (_p, version) => {
      calls.push(['target.sealed', version]);
    },
    publish: async (version, rows) => {
      calls.push(['publish', version, rows]);
      return null;
    },
    due: () => [],
    flush: async () => null,
    forget: () => {},
    close: () => {},
  };
  /** Another worker holds the feed's settle lock past the wait while `held`. */
  const locked = { held: false };
  const ledger = {
    scope: { feed: 'prices', destination: 'warehouse', partitions: 1, mode: o.mode ?? 'marker' },
    position: async () => ({ sealed: 0, published: 0 }),
    open: async (version: number, date: number | null) => {
      calls.push(['ledger.open', version, date]);
      return 0;
    },
    seal: async (s: Seal) => {
      calls.push(['ledger.seal', { ...s, rows: s.rows && Object.fromEntries(s.rows) }]);
      sealedNotPublished.push(s.version);
    },
    settle: async (publish: Publisher) => {
      calls.push(['settle']);
      if (locked.held) return { settled: false, published: [], incomplete: [] };
      const published = [];
      for (const v of sealedNotPublished.splice(0)) {
        await publish(v, written.get(v)?.length ?? 0);
        published.push({ version: v, rows: written.get(v)?.length ?? 0 });
      }
      return { settled: true, published, incomplete: [] };
    },
    highestOpen: async () => o.highestOpen ?? 0,
  };
  const metrics = new RuntimeMetrics();
  const seal = o.mode === 'idle' ? { mode: 'idle' as const, idleSeconds: 0 } : { mode: o.mode ?? 'marker' };
  const version = { source: 'header' as const, name: 'snapshot_version' };
  const feed = feedSpec({ name: 'prices', type: 'table', snapshot: { version, seal } });
  const handler = new TableHandler(target, ledger as unknown as SnapshotLedger, feed, metrics);
  const rejected: RejectedRecord[] = [];
  const reject: RejectSink = async (r) => {
    rejected.push(...r);
  };
  return { locked, handler, calls, written, metrics, rejected, reject };
}

const BATCH = [row(10, 1), row(11, 1), marker(12, 1, 2), row(13, 2), row(14, 2)];

async function metricValue(metrics: RuntimeMetrics, name: 'snapshotsPublished' | 'snapshotVersion') {
  const m = await metrics[name].get();
  return m.values.find((v) => v.labels.feed === 'prices' && v.labels.destination === 'warehouse')?.value;
}

describe('the table handler', () => {
  it('writes rows, seals at the marker once everything before is durable, publishes, then goes on', async () => {
    const h = harness();
    await h.handler.start(0);
    h.calls.length = 0;
    expect(await h.handler.handle(0, BATCH, 15, h.reject)).toBe(13);
    expect(h.calls).toEqual([
      ['writeRows', 1, [10, 11], 12],
      ['makeDurable', 12],
      ['ledger.open', 1, null],
      ['ledger.seal', { partition: 0, version: 1, through: false, expected: 2, rows: { 1: 2 } }],
      ['target.sealed', 1],
      ['makeDurable', 13],
      ['settle'],
      ['publish', 1, 2],
      ['writeRows', 2, [13, 14], 15],
    ]);
  });

  it('advances the partition to the next offset of the batch when it ends past its last step', async () => {
    const h = harness();
    await h.handler.start(0);
    h.calls.length = 0;
    expect(await h.handler.handle(0, [row(0, 1), marker(1, 1)], 5, h.reject)).toBe(5);
    expect(h.calls.slice(-3)).toEqual([['settle'], ['publish', 1, 1], ['advance', 5]]);
  });

  it('settles when a partition starts, to finish a publish a crash interrupted', async () => {
    const h = harness();
    expect(await h.handler.start(0)).toBeNull();
    expect(h.calls).toEqual([['start'], ['settle']]);
  });

  it('does not write rows twice when a batch is retried after a later step failed', async () => {
    const h = harness({ failDurableAt: 1 });
    await h.handler.start(0);
    await expect(h.handler.handle(0, BATCH, 15, h.reject)).rejects.toThrow('disk full');
    expect(h.written.get(1)).toEqual([10, 11]);
    h.calls.length = 0;
    expect(await h.handler.handle(0, BATCH, 15, h.reject)).toBe(13);
    expect(h.written.get(1)).toEqual([10, 11]);
    expect(h.written.get(2)).toEqual([13, 14]);
    expect(h.calls.filter(([c]) => c === 'writeRows')).toEqual([['writeRows', 2, [13, 14], 15]]);
    expect(h.calls[0]).toEqual(['makeDurable', 12]);
  });

  it('does not seal twice when a batch is retried after its last step failed', async () => {
    const h = harness({ failDurableAt: 3 }); // makeDurable 12 and 13 fine; the final advance(20) fails
    await h.handler.start(0);
    const batch = [row(10, 1), marker(12, 1)];
    await expect(h.handler.handle(0, batch, 20, h.reject)).rejects.toThrow('disk full');
    h.calls.length = 0;
    expect(await h.handler.handle(0, batch, 20, h.reject)).toBe(20);
    expect(h.calls).toEqual([['advance', 20]]);
  });

  it('dead-letters stale rows when it reports invalid records, and never writes them', async () => {
    const h = harness({ reportsInvalid: true });
    await h.handler.start(0);
    await h.handler.handle(0, [row(0, 1), marker(1, 1)], 2, h.reject);
    await h.handler.handle(0, [row(2, 1), row(3, 2)], 4, h.reject);
    expect(h.rejected.map((r) => r.record.offset)).toEqual([2]);
    expect(h.rejected[0]?.failure).toEqual({
      stage: 'snapshot',
      errorClass: 'StaleVersion',
      message: 'a row of snapshot version 1 arrived after its end: version 1 is already published',
    });
    expect(h.written.get(1)).toEqual([0]);
    expect(h.written.get(2)).toEqual([3]);
  });

  it('leaves stale rows to the destination that reports invalid records', async () => {
    const h = harness({ reportsInvalid: false });
    await h.handler.start(0);
    await h.handler.handle(0, [row(0, 1), marker(1, 1)], 2, h.reject);
    await h.handler.handle(0, [row(2, 1), row(3, 2)], 4, h.reject);
    expect(h.rejected).toEqual([]);
    expect(h.written.get(1)).toEqual([0]);
  });

  it('counts published versions and shows the newest in its metrics', async () => {
    const h = harness();
    await h.handler.start(0);
    expect(await metricValue(h.metrics, 'snapshotsPublished')).toBeUndefined();
    await h.handler.handle(0, BATCH, 15, h.reject);
    expect(await metricValue(h.metrics, 'snapshotsPublished')).toBe(1);
    expect(await metricValue(h.metrics, 'snapshotVersion')).toBe(1);
    await h.handler.handle(0, [marker(15, 2), row(16, 3), marker(17, 3)], 18, h.reject);
    expect(await metricValue(h.metrics, 'snapshotsPublished')).toBe(3);
    expect(await metricValue(h.metrics, 'snapshotVersion')).toBe(3);
    const text = await h.metrics.registry.getSingleMetricAsString('feedctl_snapshots_published_total');
    expect(text).toContain('feedctl_snapshots_published_total{feed="prices",destination="warehouse"} 3');
  });

  it('seals through the previous version at a row of the next one (nextVersion)', async () => {
    const h = harness({ mode: 'nextVersion' });
    await h.handler.start(0);
    h.calls.length = 0;
    expect(await h.handler.handle(0, [row(0, 1), row(1, 2)], 2, h.reject)).toBe(1);
    expect(h.calls).toEqual([
      ['writeRows', 1, [0], 1],
      ['makeDurable', 1],
      ['ledger.seal', { partition: 0, version: 1, through: true, expected: null, rows: { 1: 1 } }],
      ['target.sealed', 1],
      ['makeDurable', 1],
      ['settle'],
      ['publish', 1, 1],
      ['writeRows', 2, [1], 2],
    ]);
  });

  it('seals an idle partition through the highest open version at its position (idle)', async () => {
    const h = harness({ mode: 'idle', highestOpen: 2 });
    await h.handler.start(0);
    expect(await h.handler.flush(0)).toBeNull(); // nothing consumed yet: no position to seal at
    await h.handler.handle(0, [row(0, 1), row(1, 2)], 3, h.reject);
    h.calls.length = 0;
    expect(await h.handler.flush(0)).toBe(3);
    expect(h.calls).toEqual([
      ['makeDurable', 3],
      ['ledger.seal', { partition: 0, version: 2, through: true, expected: null, rows: { 2: 1 } }],
      ['target.sealed', 2],
      ['makeDurable', 3],
      ['settle'],
      ['publish', 2, 1],
    ]);
    h.calls.length = 0;
    expect(await h.handler.flush(0)).toBeNull(); // sealed through the highest open version already
    expect(h.calls).toEqual([]);
  });

  it('settles again on a timed flush when another worker held the lock too long', async () => {
    const h = harness();
    await h.handler.start(0);
    expect(h.handler.due(Date.now())).toEqual([]);
    h.locked.held = true;
    await h.handler.handle(0, [row(0, 1), marker(1, 1)], 2, h.reject);
    expect(h.handler.due(Date.now())).toEqual([0]);
    h.locked.held = false;
    h.calls.length = 0;
    await h.handler.flush(0);
    expect(h.calls).toEqual([['settle'], ['publish', 1, 1]]);
    expect(h.handler.due(Date.now())).toEqual([]);
  });

  it('refuses a partition it was not started for', async () => {
    const h = harness();
    await expect(h.handler.handle(3, BATCH, 15, h.reject)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
