import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../src/reconciler/inventory/observe.js';
import { desiredTable, type TableDef } from '../../../src/reconciler/tables/desired.js';
import { diffTables } from '../../../src/reconciler/tables/diff.js';
import type { ObservedTable } from '../../../src/reconciler/tables/observe.js';
import { CUSTOMER_EVENT_FIELDS, feedSpec, field } from '../../helpers/feed-spec.js';

const opts = { allowDestructive: false, prune: false, desiredFeeds: new Set(['events']) };
const owned = inventoryOf([{ kind: 'table', id: 'fact_events', feed: 'events', adopted: false }]);
const want = (fields = CUSTOMER_EVENT_FIELDS, key = ['event_id']): TableDef =>
  desiredTable(feedSpec({ name: 'events', table: 'fact_events', fields, key }));
/** What observe() reports for a table created from `t`: the same normal form. */
const asObserved = (t: TableDef): Map<string, ObservedTable> =>
  new Map([
    [
      t.name,
      { name: t.name, columns: t.columns.map((c) => ({ ...c })), indexes: t.indexes.map((i) => ({ ...i })) },
    ],
  ]);
const ids = (r: ReturnType<typeof diffTables>) => r.changes.map((c) => `${c.action} ${c.kind} ${c.id}`);

describe('table diff', () => {
  it('creates a missing table in the seed shape with the exactly-once columns', () => {
    const r = diffTables([want()], new Map(), inventoryOf([]), opts);
    expect(ids(r)).toEqual(['create table fact_events']);
    const after = r.changes[0]?.after as {
      columns: Array<{ name: string }>;
      indexes: Array<{ name: string; columns: string[] }>;
    };
    expect(after.columns.map((c) => c.name)).toEqual([
      'id',
      'event_id',
      'customer_id',
      'event',
      'amount',
      'quantity',
      'occurred_at',
      'snapshot_date',
      'snapshot_version',
      '_event_time',
      '_kafka_partition',
      '_kafka_offset',
      'created_at',
      'updated_at',
    ]);
    expect(after.indexes).toContainEqual({
      name: 'unique_snapshot',
      columns: ['event_id', 'snapshot_date', 'snapshot_version'],
      unique: true,
    });
  });

  it('re-plans a table created from the same definition to nothing', () => {
    expect(diffTables([want()], asObserved(want()), owned, opts)).toEqual({ changes: [], errors: [] });
  });

  it('adds a new nullable field as one column, placed after its predecessor', () => {
    const fields = [...CUSTOMER_EVENT_FIELDS, field('channel', { kind: 'string', maxLength: 32 }, true)];
    const r = diffTables([want(fields)], asObserved(want()), owned, opts);
    expect(ids(r)).toEqual(['create column fact_events.channel']);
    expect(r.changes[0]?.after).toMatchObject({
      type: 'varchar(32)',
      nullable: true,
      placeAfter: 'occurred_at',
    });
    expect(r.changes[0]?.destructive).toBe(false);
  });

  it('widens safely but marks narrowing, lossy changes, NOT NULL and drops as destructive', () => {
    const widened = CUSTOMER_EVENT_FIELDS.map((f) =>
      f.name === 'event' ? field('event', { kind: 'string', maxLength: 64 }) : f,
    );
    expect(diffTables([want(widened)], asObserved(want()), owned, opts).changes[0]?.destructive).toBe(false);
    const narrowed = CUSTOMER_EVENT_FIELDS.map((f) =>
      f.name === 'event' ? field('event', { kind: 'string', maxLength: 8 }) : f,
    );
    expect(diffTables([want(narrowed)], asObserved(want()), owned, opts).changes[0]).toMatchObject({
      action: 'update',
      id: 'fact_events.event',
      destructive: true,
      before: { type: 'varchar(32)' },
      after: { type: 'varchar(8)' },
    });
    const required = CUSTOMER_EVENT_FIELDS.map((f) => (f.name === 'amount' ? { ...f, nullable: false } : f));
    expect(diffTables([want(required)], asObserved(want()), owned, opts).changes[0]?.destructive).toBe(true);
    const dropped = CUSTOMER_EVENT_FIELDS.filter((f) => f.name !== 'quantity');
    expect(diffTables([want(dropped)], asObserved(want()), owned, opts).changes).toEqual([
      expect.objectContaining({
        action: 'delete',
        kind: 'column',
        id: 'fact_events.quantity',
        destructive: true,
      }),
    ]);
  });

  it('changing the key replaces the unique key (destructive) and swaps the per-key indexes', () => {
    const r = diffTables([want(CUSTOMER_EVENT_FIELDS, ['customer_id'])], asObserved(want()), owned, opts);
    expect(ids(r).sort()).toEqual([
      'create index fact_events.idx_customer_id',
      'delete index fact_events.idx_event_id',
      'update index fact_events.unique_snapshot',
    ]);
    expect(r.changes.find((c) => c.id.endsWith('unique_snapshot'))?.destructive).toBe(true);
  });

  it('leaves indexes people added by hand alone', () => {
    const observed = asObserved(want());
    observed.get('fact_events')?.indexes.push({ name: 'by_amount', columns: ['amount'], unique: false });
    expect(diffTables([want()], observed, owned, opts).changes).toEqual([]);
  });

  it('refuses a table it does not own, adopts it on request, and prunes only with --prune', () => {
    expect(diffTables([want()], asObserved(want()), inventoryOf([]), opts).errors[0]?.remedy).toContain(
      'adopt: true',
    );
    const adopt = { ...want(), adopt: true };
    expect(ids(diffTables([adopt], asObserved(want()), inventoryOf([]), opts))).toEqual([
      'adopt table fact_events',
    ]);
    expect(diffTables([], asObserved(want()), owned, opts).changes).toEqual([]);
    const pruned = diffTables([], asObserved(want()), owned, { ...opts, prune: true });
    expect(pruned.changes).toEqual([
      expect.objectContaining({ action: 'delete', kind: 'table', destructive: true }),
    ]);
  });
});
