import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { desiredGrants } from '../../../src/reconciler/grants/desired.js';
import { diffGrants } from '../../../src/reconciler/grants/diff.js';
import { inventoryOf, type InventoryEntry } from '../../../src/reconciler/inventory/observe.js';
import { orderChanges } from '../../../src/reconciler/order.js';
import { desiredViews, type ViewState } from '../../../src/reconciler/views/desired.js';
import { diffViews } from '../../../src/reconciler/views/diff.js';
import type { ObservedView, ObservedViews } from '../../../src/reconciler/views/observe.js';
import { field, feedSpec } from '../../helpers/feed-spec.js';

const dim = (fields = feedSpec().schema.fields) =>
  feedSpec({ name: 'catalog', type: 'table', table: 'dim_catalog', fields });
const opts = { allowDestructive: false, prune: false, desiredFeeds: new Set(['catalog']) };
const owned = (id = 'dim_catalog_latest'): InventoryEntry => ({
  kind: 'view',
  id,
  feed: 'catalog',
  adopted: false,
});
const observed = (views: ObservedView[], takenByTables: string[] = []): ObservedViews => ({
  views: new Map(views.map((v) => [v.name, v])),
  takenByTables: new Set(takenByTables),
});
const existing = (state: ViewState, readable = true): ObservedView => ({
  name: 'dim_catalog_latest',
  state: readable ? state : { ...state, table: null, version: null },
  readable,
});
const ids = (changes: Array<{ action: string; kind: string; id: string }>) =>
  changes.map((c) => `${c.action} ${c.kind} ${c.id}`);

describe('latest views: desired', () => {
  it('one per table feed with a warehouse table, listing every column of the table', () => {
    const [v, ...rest] = desiredViews([
      dim(),
      feedSpec({ name: 'events' }),
      feedSpec({ name: 'x', type: 'table', table: null }),
    ]);
    expect(rest).toEqual([]);
    expect(v?.name).toBe('dim_catalog_latest');
    expect(v?.state.table).toBe('dim_catalog');
    expect(v?.state.columns).toContain('event_id');
    expect(v?.state.columns.at(0)).toBe('id');
    expect(v?.state.columns).toContain('snapshot_version');
    expect(v?.state.version).toEqual({
      column: 'snapshot_version',
      ledger: 'feedctl_snapshots',
      feed: 'catalog',
      destination: 'warehouse',
      state: 'published',
    });
    expect(v?.state.security).toBe('DEFINER');
  });

  it('a disabled feed keeps its view, like its table (it shows the last published version)', () => {
    expect(desiredViews([{ ...dim(), enabled: false }]).map((v) => v.name)).toEqual(['dim_catalog_latest']);
  });
});

describe('latest views: diff', () => {
  const [want] = desiredViews([dim()]);
  const state = want?.state as ViewState;

  it('creates a missing view, and re-creates an owned one dropped by hand as drift', () => {
    const created = diffViews(desiredViews([dim()]), observed([]), inventoryOf([]), opts).changes;
    expect(ids(created)).toEqual(['create view dim_catalog_latest']);
    expect(created[0]?.after).toEqual(state);
    const dropped = diffViews(desiredViews([dim()]), observed([]), inventoryOf([owned()]), opts).changes;
    expect(dropped[0]?.reason).toMatch(/^drift/);
  });

  it('is converged when the facts match, and replaces the view when the table gains a column', () => {
    const inv = inventoryOf([owned()]);
    expect(diffViews(desiredViews([dim()]), observed([existing(state)]), inv, opts).changes).toEqual([]);
    const wider = dim([...feedSpec().schema.fields, field('note', { kind: 'string', maxLength: 10 }, true)]);
    const [c, ...more] = diffViews(desiredViews([wider]), observed([existing(state)]), inv, opts).changes;
    expect(more).toEqual([]);
    expect(c).toMatchObject({ kind: 'view', action: 'update', destructive: false, before: state });
    expect((c?.after as ViewState).columns).toContain('note');
    expect(c?.reason).toContain('columns');
  });

  it('replaces a view whose definition is not the latest published version of this feed', () => {
    const inv = inventoryOf([owned()]);
    const wrong = [
      { ...state, version: { ...(state.version as object), state: 'sealed' } as ViewState['version'] },
      { ...state, version: null },
      { ...state, table: 'other' },
      { ...state, security: 'INVOKER' },
    ];
    for (const s of wrong) {
      expect(ids(diffViews(desiredViews([dim()]), observed([existing(s)]), inv, opts).changes)).toEqual([
        'update view dim_catalog_latest',
      ]);
    }
  });

  it('an unreadable definition (no SHOW VIEW) compares columns and security only', () => {
    const inv = inventoryOf([owned()]);
    expect(diffViews(desiredViews([dim()]), observed([existing(state, false)]), inv, opts).changes).toEqual(
      [],
    );
  });

  it('refuses a view it does not own unless the table is adopted, and a name held by a table', () => {
    const foreign = diffViews(desiredViews([dim()]), observed([existing(state)]), inventoryOf([]), opts);
    expect(foreign.changes).toEqual([]);
    expect(foreign.errors[0]).toMatchObject({ kind: 'view', id: 'dim_catalog_latest' });
    const adopting = {
      ...dim(),
      destinations: {
        ...dim().destinations,
        warehouse: { enabled: true, table: 'dim_catalog', adopt: true },
      },
    };
    expect(
      ids(diffViews(desiredViews([adopting]), observed([existing(state)]), inventoryOf([]), opts).changes),
    ).toEqual(['adopt view dim_catalog_latest']);
    const taken = diffViews(
      desiredViews([dim()]),
      observed([], ['dim_catalog_latest']),
      inventoryOf([]),
      opts,
    );
    expect(taken.errors[0]?.message).toContain('a table with this name exists');
  });

  it('keeps the view of a removed feed; --prune drops owned views only, as destructive', () => {
    const views = observed([existing(state), { ...existing(state), name: 'someone_elses_latest' }]);
    const inv = inventoryOf([owned()]);
    expect(diffViews([], views, inv, opts).changes).toEqual([]);
    const pruned = diffViews([], views, inv, { ...opts, prune: true }).changes;
    expect(ids(pruned)).toEqual(['delete view dim_catalog_latest']);
    expect(pruned[0]?.destructive).toBe(true);
  });
});

describe('latest views: grants and order', () => {
  const config = {} as Config;
  const withRoles = (f: ReturnType<typeof feedSpec>) => ({ ...f, access: { roles: ['analyst'] } });

  it('roles get SELECT on the view of a table feed; stream feeds keep their table grant only', () => {
    const d = desiredGrants([withRoles(dim()), withRoles(feedSpec({ name: 'events' }))], config);
    const r = diffGrants(d, { roles: new Set(['analyst']), grants: new Set() }, inventoryOf([]), [], opts);
    expect(r.changes.map((c) => [c.id, c.after])).toEqual([
      ['analyst@dim_catalog', { privilege: 'SELECT', role: 'analyst', table: 'dim_catalog' }],
      ['analyst@dim_catalog_latest', { privilege: 'SELECT', role: 'analyst', view: 'dim_catalog_latest' }],
      ['analyst@fact_events', { privilege: 'SELECT', role: 'analyst', table: 'fact_events' }],
    ]);
  });

  it('revokes a view grant no manifest declares any more', () => {
    const d = desiredGrants([dim()], config);
    const seen = { roles: new Set(['analyst']), grants: new Set(['analyst@dim_catalog_latest']) };
    const inv = inventoryOf([{ kind: 'role', id: 'analyst', feed: null, adopted: false }]);
    const r = diffGrants(d, seen, inv, ['dim_catalog'], opts, ['dim_catalog_latest']);
    expect(r.changes.map((c) => [c.action, c.before])).toEqual([
      ['delete', { privilege: 'SELECT', role: 'analyst', view: 'dim_catalog_latest' }],
    ]);
  });

  it('a view comes after its table and columns and before grants; it is dropped before its table', () => {
    const c = (kind: 'table' | 'column' | 'view' | 'grant', action: 'create' | 'update' | 'delete') => ({
      kind,
      action,
      id: kind,
      feed: null,
      before: null,
      after: null,
      destructive: false,
      reason: '',
    });
    const order = orderChanges([
      c('grant', 'create'),
      c('view', 'update'),
      c('column', 'create'),
      c('table', 'create'),
      c('table', 'delete'),
      c('view', 'delete'),
    ]).map((x) => `${x.action} ${x.kind}`);
    expect(order).toEqual([
      'create table',
      'create column',
      'update view',
      'create grant',
      'delete view',
      'delete table',
    ]);
  });
});
