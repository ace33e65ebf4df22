import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { desiredGrants } from '../../../src/reconciler/grants/desired.js';
import { diffGrants } from '../../../src/reconciler/grants/diff.js';
import { inventoryOf } from '../../../src/reconciler/inventory/observe.js';
import { feedSpec } from '../../helpers/feed-spec.js';

const withRoles = (roles: string[], table = 'fact_events') => {
  const f = feedSpec({ name: 'events', table });
  return { ...f, access: { roles } };
};
const opts = { allowDestructive: false, prune: false, desiredFeeds: new Set(['events']) };
const config = {} as Config;
const ids = (changes: Array<{ action: string; kind: string; id: string }>) =>
  changes.map((c) => `${c.action} ${c.kind} ${c.id}`);

describe('grants diff', () => {
  it('creates missing roles and their SELECT grants', () => {
    const d = desiredGrants([withRoles(['analyst', 'bi'])], config);
    const r = diffGrants(
      d,
      { roles: new Set(['bi']), grants: new Set() },
      inventoryOf([]),
      ['fact_events'],
      opts,
    );
    expect(ids(r.changes)).toEqual([
      'create role analyst',
      'create grant analyst@fact_events',
      'create grant bi@fact_events',
    ]);
  });

  it('revokes a grant no manifest declares any more, only for roles feedctl knows', () => {
    const d = desiredGrants([withRoles([])], config);
    const observed = {
      roles: new Set(['analyst']),
      grants: new Set(['analyst@fact_events', 'dba_tool@fact_events']),
    };
    const inv = inventoryOf([{ kind: 'role', id: 'analyst', feed: null, adopted: false }]);
    expect(ids(diffGrants(d, observed, inv, ['fact_events'], opts).changes)).toEqual([
      'delete grant analyst@fact_events',
    ]);
    expect(diffGrants(d, observed, inv, ['fact_events'], opts).changes[0]?.destructive).toBe(false);
  });

  it('leaves grants on tables it does not manage alone', () => {
    const d = desiredGrants([withRoles(['analyst'])], config);
    const observed = {
      roles: new Set(['analyst']),
      grants: new Set(['analyst@fact_events', 'analyst@other']),
    };
    expect(diffGrants(d, observed, inventoryOf([]), ['fact_events'], opts).changes).toEqual([]);
  });

  it('drops an owned role no manifest names only with --prune, as destructive', () => {
    const d = desiredGrants([withRoles([])], config);
    const observed = { roles: new Set(['old']), grants: new Set<string>() };
    const inv = inventoryOf([{ kind: 'role', id: 'old', feed: null, adopted: false }]);
    expect(diffGrants(d, observed, inv, [], opts).changes).toEqual([]);
    expect(diffGrants(d, observed, inv, [], { ...opts, prune: true }).changes).toEqual([
      expect.objectContaining({ action: 'delete', kind: 'role', id: 'old', destructive: true }),
    ]);
  });
});
