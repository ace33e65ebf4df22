/**
 * Roles and grants diff (pure). Missing roles are created (and owned); existing roles feedctl did not create are
 * used as they are, never altered or dropped. On the tables and latest views feedctl manages, a SELECT grant is added where a
 * manifest declares it and revoked where none does any more — only for roles feedctl knows (owned, or named in a
 * manifest): grants people gave to other accounts are not feedctl's business. Owned roles no manifest names any
 * more are dropped only by --prune (destructive: access is lost).
 */
import type { Inventory } from '../inventory/observe.js';
import type { Change, DiffOptions, DiffResult } from '../plan/types.js';
import type { DesiredGrants } from './desired.js';
import type { ObservedGrants } from './observe.js';

const base = (kind: 'role' | 'grant', id: string, feed: string | null) => ({
  kind,
  id,
  feed,
  destructive: false,
});

export function diffGrants(
  desired: DesiredGrants,
  observed: ObservedGrants,
  inventory: Inventory,
  managedTables: readonly string[],
  opts: DiffOptions,
  managedViews: readonly string[] = [],
): DiffResult {
  const changes: Change[] = [];
  for (const role of desired.roles.filter((r) => !observed.roles.has(r))) {
    changes.push({
      ...base('role', role, null),
      action: 'create',
      before: null,
      after: { role },
      reason: 'role does not exist',
    });
  }
  const wanted = new Set(desired.grants.map((g) => g.id));
  for (const g of desired.grants.filter((x) => !observed.grants.has(x.id))) {
    changes.push({
      ...base('grant', g.id, g.feed),
      action: 'create',
      before: null,
      after: { privilege: 'SELECT', role: g.role, [g.on]: g.table },
      reason: `access.roles lists ${g.role}`,
    });
  }
  const known = new Set([...desired.declaredRoles, ...inventory.ofKind('role').map((e) => e.id)]);
  const tables = new Set(managedTables);
  const views = new Set(managedViews);
  for (const id of [...observed.grants].sort()) {
    const [role = '', table = ''] = id.split('@');
    if (wanted.has(id) || !known.has(role) || !(tables.has(table) || views.has(table))) continue;
    changes.push({
      ...base('grant', id, null),
      action: 'delete',
      before: { privilege: 'SELECT', role, [views.has(table) ? 'view' : 'table']: table },
      after: null,
      reason: `no manifest grants ${role} read access to ${table} any more`,
    });
  }
  if (opts.prune) changes.push(...pruneRoles(desired, observed, inventory));
  return { changes, errors: [] };
}

function pruneRoles(desired: DesiredGrants, observed: ObservedGrants, inventory: Inventory): Change[] {
  const named = new Set(desired.declaredRoles);
  return inventory
    .ofKind('role')
    .filter((e) => !named.has(e.id) && observed.roles.has(e.id))
    .map((e) => ({
      ...base('role', e.id, null),
      action: 'delete' as const,
      before: { role: e.id },
      after: null,
      destructive: true,
      reason: '--prune: no manifest names this role any more; whoever holds it loses what it grants',
    }));
}
