import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../../src/reconciler/inventory/observe.js';
import { resolveCollations } from '../../../src/reconciler/tables/collations.js';
import { desiredTable, type TableDef } from '../../../src/reconciler/tables/desired.js';
import { diffTables } from '../../../src/reconciler/tables/diff.js';
import type { ObservedTable } from '../../../src/reconciler/tables/observe.js';
import { CUSTOMER_EVENT_FIELDS, feedSpec, field } from '../../helpers/feed-spec.js';

const opts = { allowDestructive: false, prune: false, desiredFeeds: new Set(['events']) };
const owned = inventoryOf([{ kind: 'table', id: 'fact_events', feed: 'events', adopted: false }]);
const want = (fields = CUSTOMER_EVENT_FIELDS, key = ['event_id']): TableDef =>
  desiredTable(feedSpec({ name: 'events', table: 'fact_events', fields, key }));
/** MariaDB's names. */
const SERVER = { exact: 'utf8mb4_nopad_bin' };
/** What observe() reports for a table created from `t`: the same normal form, collations by their server names. */
const asObserved = (t: TableDef): Map<string, ObservedTable> => {
  const r = resolveCollations(t, SERVER);
  return new Map([
    [
      r.name,
      { name: r.name, columns: r.columns.map((c) => ({ ...c })), indexes: r.indexes.map((i) => ({ ...i })) },
    ],
  ]);
};
const ids = (r: ReturnType<typeof diffTables>) => r.changes.map((c) => `${c.action} ${c.kind} ${c.id}`);

describe('table diff', () => {
  it('creates a missing table in the seed shape with the exactly-once columns', () => {
    const r = diffTables([want()], new Map(), inventoryOf([]), opts, SERVER);
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

  it("keeps a hand-made table's nullable created_at/updated_at, and widens its INT id without loss", () => {
    const observed = asObserved(want());
    const t = observed.get('fact_events') as ObservedTable;
    t.columns = t.columns.map((c) =>
      c.name === 'created_at' || c.name === 'updated_at'
        ? { ...c, nullable: true }
        : c.name === 'id'
          ? { ...c, type: 'int' }
          : c,
    );
    const r = diffTables([want()], observed, owned, opts, SERVER);
    expect(ids(r)).toEqual(['update column fact_events.id']);
    expect(r.changes[0]).toMatchObject({
      destructive: false,
      reason: expect.stringContaining('INT id runs out'),
    });
  });

  it('adds lineage columns to an existing table as nullable, and keeps them so', () => {
    const observed = asObserved(want());
    const t = observed.get('fact_events') as ObservedTable;
    t.columns = t.columns.filter((c) => !c.name.startsWith('_'));
    const r = diffTables([want()], observed, owned, opts, SERVER);
    expect(ids(r)).toEqual([
      'create column fact_events._event_time',
      'create column fact_events._kafka_partition',
      'create column fact_events._kafka_offset',
    ]);
    expect(r.changes.map((c) => (c.after as { nullable: boolean }).nullable)).toEqual([true, true, true]);
    const added = asObserved(want());
    const a = added.get('fact_events') as ObservedTable;
    a.columns = a.columns.map((c) => (c.name.startsWith('_') ? { ...c, nullable: true } : c));
    expect(ids(diffTables([want()], added, owned, opts, SERVER))).toEqual([]);
  });

  it('re-plans a table created from the same definition to nothing', () => {
    expect(diffTables([want()], asObserved(want()), owned, opts, SERVER)).toEqual({
      changes: [],
      errors: [],
    });
  });

  it('adds a new nullable field as one column, placed after its predecessor', () => {
    const fields = [...CUSTOMER_EVENT_FIELDS, field('channel', { kind: 'string', maxLength: 32 }, true)];
    const r = diffTables([want(fields)], asObserved(want()), owned, opts, SERVER);
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
    expect(diffTables([want(widened)], asObserved(want()), owned, opts, SERVER).changes[0]?.destructive).toBe(
      false,
    );
    const narrowed = CUSTOMER_EVENT_FIELDS.map((f) =>
      f.name === 'event' ? field('event', { kind: 'string', maxLength: 8 }) : f,
    );
    expect(diffTables([want(narrowed)], asObserved(want()), owned, opts, SERVER).changes[0]).toMatchObject({
      action: 'update',
      id: 'fact_events.event',
      destructive: true,
      before: { type: 'varchar(32)' },
      after: { type: 'varchar(8)' },
    });
    const required = CUSTOMER_EVENT_FIELDS.map((f) => (f.name === 'amount' ? { ...f, nullable: false } : f));
    expect(
      diffTables([want(required)], asObserved(want()), owned, opts, SERVER).changes[0]?.destructive,
    ).toBe(true);
    const dropped = CUSTOMER_EVENT_FIELDS.filter((f) => f.name !== 'quantity');
    expect(diffTables([want(dropped)], asObserved(want()), owned, opts, SERVER).changes).toEqual([
      expect.objectContaining({
        action: 'delete',
        kind: 'column',
        id: 'fact_events.quantity',
        destructive: true,
      }),
    ]);
  });

  it('changing the key replaces the unique key (destructive), swaps the per-key indexes and the exact collation', () => {
    const r = diffTables(
      [want(CUSTOMER_EVENT_FIELDS, ['customer_id'])],
      asObserved(want()),
      owned,
      opts,
      SERVER,
    );
    expect(ids(r).sort()).toEqual([
      'create index fact_events.idx_customer_id',
      'delete index fact_events.idx_event_id',
      'update column fact_events.customer_id',
      'update column fact_events.event_id',
      'update index fact_events.unique_snapshot',
    ]);
    const destructive = r.changes.filter((c) => c.destructive).map((c) => c.id);
    expect(destructive.sort()).toEqual(['fact_events.customer_id', 'fact_events.unique_snapshot']);
    expect(r.changes.find((c) => c.id === 'fact_events.event_id')).toMatchObject({
      before: { collation: 'utf8mb4_nopad_bin' },
      after: { collation: 'utf8mb4_unicode_ci' },
    });
  });

  it('gives string key columns the exact collation of the server, other strings utf8mb4_unicode_ci', () => {
    const created = diffTables([want()], new Map(), inventoryOf([]), opts, { exact: 'utf8mb4_0900_bin' });
    const columns = (created.changes[0]?.after as { columns: { name: string; collation: string | null }[] })
      .columns;
    expect(Object.fromEntries(columns.map((c) => [c.name, c.collation]))).toMatchObject({
      id: null,
      event_id: 'utf8mb4_0900_bin',
      customer_id: 'utf8mb4_unicode_ci',
      amount: null,
      snapshot_date: null,
    });
  });

  it('marks a key column collation change destructive, with its risk; other columns change safely', () => {
    const old = asObserved(want());
    for (const c of old.get('fact_events')?.columns ?? [])
      if (c.collation) c.collation = 'utf8mb4_unicode_ci';
    expect(diffTables([want()], old, owned, opts, SERVER).changes).toEqual([
      expect.objectContaining({
        action: 'update',
        id: 'fact_events.event_id',
        destructive: true,
        before: expect.objectContaining({ collation: 'utf8mb4_unicode_ci' }),
        after: expect.objectContaining({ collation: 'utf8mb4_nopad_bin' }),
        reason: expect.stringContaining('rows already merged stay merged') as string,
      }),
    ]);
    const ci = CUSTOMER_EVENT_FIELDS.map((f) =>
      f.name === 'event_id' ? { ...f, collation: 'unicode_ci' as const } : f,
    );
    expect(diffTables([want(ci)], asObserved(want()), owned, opts, SERVER).changes[0]).toMatchObject({
      destructive: true,
      reason: expect.stringContaining('fails if existing keys are duplicates') as string,
    });
    const exactEvent = CUSTOMER_EVENT_FIELDS.map((f) =>
      f.name === 'event' ? { ...f, collation: 'exact' as const } : f,
    );
    expect(diffTables([want(exactEvent)], asObserved(want()), owned, opts, SERVER).changes).toEqual([
      expect.objectContaining({ id: 'fact_events.event', destructive: false }),
    ]);
  });

  it('leaves indexes people added by hand alone', () => {
    const observed = asObserved(want());
    observed.get('fact_events')?.indexes.push({ name: 'by_amount', columns: ['amount'], unique: false });
    expect(diffTables([want()], observed, owned, opts, SERVER).changes).toEqual([]);
  });

  it('refuses a table it does not own, adopts it on request, and prunes only with --prune', () => {
    expect(
      diffTables([want()], asObserved(want()), inventoryOf([]), opts, SERVER).errors[0]?.remedy,
    ).toContain('adopt: true');
    const adopt = { ...want(), adopt: true };
    expect(ids(diffTables([adopt], asObserved(want()), inventoryOf([]), opts, SERVER))).toEqual([
      'adopt table fact_events',
    ]);
    expect(diffTables([], asObserved(want()), owned, opts, SERVER).changes).toEqual([]);
    const pruned = diffTables([], asObserved(want()), owned, { ...opts, prune: true }, SERVER);
    expect(pruned.changes).toEqual([
      expect.objectContaining({ action: 'delete', kind: 'table', destructive: true }),
    ]);
  });
});
