/** Handlers tell their consumer of each durable write through `hooks.wrote`: the lake's file key, null for the warehouse. */
import { describe, expect, it } from 'vitest';
import { BufferBudget } from '../../../../src/runtime/consumer/budget.js';
import type { HandlerHooks } from '../../../../src/runtime/consumer/handler.js';
import { LakeHandler } from '../../../../src/runtime/consumer/lake-handler.js';
import { TableHandler, type SnapshotTarget } from '../../../../src/runtime/consumer/table-handler.js';
import { LakeSnapshots, WarehouseSnapshots } from '../../../../src/runtime/consumer/table-targets.js';
import { WarehouseHandler } from '../../../../src/runtime/consumer/warehouse-handler.js';
import type { LakeSink } from '../../../../src/runtime/lake/sink.js';
import type { LakeStore } from '../../../../src/runtime/lake/store.js';
import { RuntimeMetrics } from '../../../../src/runtime/metrics.js';
import type { SnapshotLedger } from '../../../../src/runtime/snapshot/ledger.js';
import type { WarehouseSink } from '../../../../src/runtime/warehouse/sink.js';
import { feedSpec } from '../../../helpers/feed-spec.js';

const feed = feedSpec({ name: 'orders' });

function hooks() {
  const wrote: Array<string | null> = [];
  const h: HandlerHooks = {
    invalid: async () => undefined,
    durable: async () => undefined,
    wrote: (file) => void wrote.push(file),
  };
  return { h, wrote };
}

/** A warehouse sink that stores `rows` rows per write. */
const warehouseSink = (rows: () => number) =>
  ({
    loadOffsets: async () => new Map<number, number>(),
    write: async () => ({ rows: rows(), rejected: 0 }),
  }) as unknown as WarehouseSink;

/** A lake sink whose flushes write `files`. */
function lakeSink(files: () => string[]) {
  return {
    recover: async () => null,
    append: () => undefined,
    due: () => false,
    pending: () => ({ rows: 0, bytes: 0, since: null }),
    flush: async () => ({ files: files(), rows: files().length }),
    discard: () => undefined,
    close: () => undefined,
  } as unknown as LakeSink;
}

describe('durable writes reported to the consumer', () => {
  it('the warehouse: each transaction that stored rows, with no file', async () => {
    let rows = 3;
    const handler = new WarehouseHandler(
      warehouseSink(() => rows),
      feed,
      new RuntimeMetrics(),
    );
    const { h, wrote } = hooks();
    handler.connect(h);
    await handler.handle(0, [], 10, async () => undefined);
    rows = 0;
    await handler.handle(0, [], 11, async () => undefined);
    expect(wrote).toEqual([null]);
  });

  it('the lake: the last data file of each flush that wrote one', async () => {
    let files = [
      'streams/orders/year=2026/month=11/day=26/a.parquet',
      'streams/orders/year=2026/month=11/day=27/b.parquet',
    ];
    const handler = new LakeHandler(
      lakeSink(() => files),
      feed,
      new RuntimeMetrics(),
      new BufferBudget(1 << 30),
    );
    const { h, wrote } = hooks();
    handler.connect(h);
    await handler.start(0);
    await handler.handle(0, [], 5);
    expect(await handler.flush(0)).toBe(5);
    files = []; // a flush of dead-lettered messages only: offsets, no file
    await handler.handle(0, [], 6);
    expect(await handler.flush(0)).toBe(6);
    expect(wrote).toEqual(['streams/orders/year=2026/month=11/day=27/b.parquet']);
  });

  it('table feeds: through their targets', async () => {
    const ledger = {
      open: async () => 0,
      countSql: () => ({ sql: 'SELECT 1', values: [] }),
    } as unknown as SnapshotLedger;
    const wh = new WarehouseSnapshots(
      warehouseSink(() => 2),
      ledger,
      feed,
      new RuntimeMetrics(),
    );
    const w = hooks();
    wh.connect(w.h);
    await wh.writeRows(
      0,
      { kind: 'rows', version: 1, date: null, records: [], end: 4 },
      async () => undefined,
    );
    expect(w.wrote).toEqual([null]);

    const sink = lakeSink(() => ['tables/orders/_staging/version=1/c.parquet']);
    const lakeHandler = new LakeHandler(sink, feed, new RuntimeMetrics(), new BufferBudget(1 << 30));
    const lake = new LakeSnapshots(lakeHandler, sink, {} as LakeStore, ledger, feed);
    const l = hooks();
    lake.connect(l.h);
    await lake.start(0);
    expect(await lake.makeDurable(0, 3)).toBe(3);
    expect(l.wrote).toEqual(['tables/orders/_staging/version=1/c.parquet']);

    // The table handler hands its consumer's hooks to its target.
    let given: HandlerHooks | null = null;
    const target = { ...wh, connect: (x: HandlerHooks) => void (given = x) } as unknown as SnapshotTarget;
    const table = feedSpec({
      name: 'prices',
      type: 'table',
      snapshot: { version: { source: 'header', name: 'v' }, seal: { mode: 'marker' } },
    });
    new TableHandler(target, ledger, table, new RuntimeMetrics()).connect(w.h);
    expect(given).toBe(w.h);
  });
});
