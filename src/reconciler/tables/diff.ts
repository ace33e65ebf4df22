/**
 * Table diff (pure): create missing tables, evolve owned ones column by column and index by index, adopt on
 * request, prune owned tables of removed feeds. Tables feedctl does not own are never altered or reported as drift.
 * Collation intents are resolved to the observed server's names first, so plans carry the names the server uses.
 */
import type { Inventory } from '../inventory/observe.js';
import type { Change, DiffOptions, DiffResult, Json, PlanError } from '../plan/types.js';
import { resolveCollations, type ServerCollations } from './collations.js';
import { diffColumns, diffIndexes } from './columns.js';
import type { TableDef } from './desired.js';
import type { ObservedTable, ObservedTables } from './observe.js';

export function diffTables(
  desired: readonly TableDef[],
  observed: ObservedTables,
  inventory: Inventory,
  opts: DiffOptions,
  collations: ServerCollations,
): DiffResult {
  const changes: Change[] = [];
  const errors: PlanError[] = [];
  for (const t of desired.map((d) => resolveCollations(d, collations))) {
    const o = observed.get(t.name);
    const owned = inventory.owned('table', t.name) !== undefined;
    if (!o) changes.push(createChange(t));
    else if (!owned && !t.adopt) errors.push(notOwned(t));
    else {
      if (!owned) changes.push(adoptChange(t));
      changes.push(...diffColumns(t, o, collations), ...diffIndexes(t, o));
    }
  }
  if (opts.prune) changes.push(...pruneChanges(desired, observed, inventory));
  return { changes, errors };
}

function createChange(t: TableDef): Change {
  return {
    kind: 'table',
    id: t.name,
    feed: t.feed,
    action: 'create',
    before: null,
    after: {
      columns: t.columns.map((c) => ({ ...c })),
      indexes: t.indexes.map((i) => ({ ...i, columns: [...i.columns] })),
      comment: t.comment,
    },
    destructive: false,
    reason: 'warehouse table does not exist',
  };
}

function adoptChange(t: TableDef): Change {
  return {
    kind: 'table',
    id: t.name,
    feed: t.feed,
    action: 'adopt',
    before: { managedBy: null },
    after: { managedBy: 'feedctl' },
    destructive: false,
    reason: 'adopt: true in the manifest; feedctl will manage this existing table',
  };
}

function pruneChanges(
  desired: readonly TableDef[],
  observed: ObservedTables,
  inventory: Inventory,
): Change[] {
  const wanted = new Set(desired.map((t) => t.name));
  return inventory
    .ofKind('table')
    .filter((e) => !wanted.has(e.id) && observed.has(e.id))
    .map((e) => ({
      kind: 'table' as const,
      id: e.id,
      feed: e.feed,
      action: 'delete' as const,
      before: summary(observed.get(e.id) as ObservedTable),
      after: null,
      destructive: true,
      reason: '--prune: no manifest declares this table any more; its rows are deleted with it',
    }));
}

function summary(o: ObservedTable): Json {
  return { columns: o.columns.map((c) => c.name) };
}

function notOwned(t: TableDef): PlanError {
  return {
    kind: 'table',
    id: t.name,
    feed: t.feed,
    message: `table ${t.name} already exists and was not created by feedctl`,
    remedy:
      'set spec.destinations.warehouse.adopt: true in the manifest to manage it, or choose another table name',
  };
}
