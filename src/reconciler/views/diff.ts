/**
 * Latest-view diff (pure). Compares normalized facts, never definition text: the columns the view shows (against
 * the table's desired columns, so a column added to the table re-plans the view), the table it selects from, its
 * version filter and its SQL SECURITY. Missing views are created, differing ones replaced, existing ones feedctl
 * does not own adopted with the table's `adopt: true` (else a plan error). Like tables, the view of a removed or
 * disabled feed is kept (it shows the last published version); only --prune drops views feedctl owns.
 */
import type { Inventory } from '../inventory/observe.js';
import type { Change, DiffOptions, DiffResult, PlanError } from '../plan/types.js';
import type { ViewDef, ViewState } from './desired.js';
import type { ObservedView, ObservedViews } from './observe.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function change(v: ViewDef, rest: Pick<Change, 'action' | 'before' | 'reason'>): Change {
  return { kind: 'view', id: v.name, feed: v.feed, after: { ...v.state }, destructive: false, ...rest };
}

/** The observed state as compared: what an account without SHOW VIEW cannot read is taken as desired. */
function comparable(o: ObservedView, want: ViewState): ViewState {
  return o.readable ? o.state : { ...o.state, table: want.table, version: want.version };
}

/** Why a view differs from what it should be, or '' when it does not. */
export function viewDrift(have: ViewState, want: ViewState): string {
  const why: string[] = [];
  if (!same(have.columns, want.columns))
    why.push("its columns are not the table's (the view lists them explicitly)");
  if (have.table !== want.table)
    why.push(`it selects from ${have.table ?? 'something else'}, not ${want.table}`);
  if (!same(have.version, want.version))
    why.push(`it does not show the latest version published for feed ${want.version?.feed}`);
  if (have.security !== want.security) why.push(`it runs with SQL SECURITY ${have.security}`);
  return why.join('; ');
}

function diffOne(v: ViewDef, observed: ObservedViews, inventory: Inventory): Change | PlanError | null {
  const o = observed.views.get(v.name);
  const owned = inventory.owned('view', v.name) !== undefined;
  if (observed.takenByTables.has(v.name))
    return conflict(
      v,
      'a table with this name exists',
      'rename or drop that table, or choose another table name',
    );
  if (!o) {
    const reason = owned
      ? 'drift: the view feedctl created is gone; it is created again'
      : 'view of the latest published snapshot does not exist';
    return change(v, { action: 'create', before: null, reason });
  }
  if (!owned && !v.adopt) {
    const remedy = 'set spec.destinations.warehouse.adopt: true to take it over, or drop or rename it';
    return conflict(v, 'the view already exists and was not created by feedctl', remedy);
  }
  const have = comparable(o, v.state);
  if (!owned) {
    const reason = 'adopt: true in the manifest; feedctl takes over this view and replaces its definition';
    return change(v, { action: 'adopt', before: { ...have }, reason });
  }
  const drift = viewDrift(have, v.state);
  return drift === ''
    ? null
    : change(v, { action: 'update', before: { ...have }, reason: `replace: ${drift}` });
}

export function diffViews(
  desired: readonly ViewDef[],
  observed: ObservedViews,
  inventory: Inventory,
  opts: DiffOptions,
): DiffResult {
  const changes: Change[] = [];
  const errors: PlanError[] = [];
  for (const v of desired) {
    const r = diffOne(v, observed, inventory);
    if (r === null) continue;
    if ('action' in r) changes.push(r);
    else errors.push(r);
  }
  if (opts.prune) changes.push(...pruneViews(desired, observed, inventory));
  return { changes, errors };
}

/** Owned views no desired view has any more: dropped before their table (deletes run in reverse order). */
function pruneViews(desired: readonly ViewDef[], observed: ObservedViews, inventory: Inventory): Change[] {
  const wanted = new Set(desired.map((v) => v.name));
  return inventory
    .ofKind('view')
    .filter((e) => !wanted.has(e.id) && observed.views.has(e.id))
    .map((e) => ({
      kind: 'view' as const,
      id: e.id,
      feed: e.feed,
      action: 'delete' as const,
      before: { ...(observed.views.get(e.id) as ObservedView).state },
      after: null,
      destructive: true,
      reason: '--prune: no table feed declares this view any more; whoever reads it loses it',
    }));
}

function conflict(v: ViewDef, why: string, remedy: string): PlanError {
  return {
    kind: 'view',
    id: v.name,
    feed: v.feed,
    message: `cannot manage view ${v.name} (the latest published snapshot of ${v.state.table}): ${why}`,
    remedy,
  };
}
