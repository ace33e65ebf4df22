/**
 * Desired MySQL roles and their SELECT grants on feed tables (pure): every role named in `access.roles` of a feed
 * whose warehouse destination is on, and one grant per (role, table).
 */
import type { Config } from '../../config/config.js';
import type { FeedSpec } from '../../feeds/types.js';

/** A SELECT grant of one role on one feed table. Invariant: id is `role@table`. */
export interface GrantDef {
  id: string;
  role: string;
  table: string;
  feed: string;
}

export interface DesiredGrants {
  /** Sorted, unique. */
  roles: string[];
  grants: GrantDef[];
  /** Every role any manifest names (also of feeds without a table): grants to them are feedctl's to revoke. */
  declaredRoles: string[];
}

export function desiredGrants(feeds: FeedSpec[], _config: Config): DesiredGrants {
  const grants: GrantDef[] = [];
  for (const f of feeds) {
    const table = f.destinations.warehouse.table;
    if (!f.destinations.warehouse.enabled || table === null) continue;
    for (const role of f.access.roles) grants.push({ id: `${role}@${table}`, role, table, feed: f.name });
  }
  const sortedUnique = (xs: string[]) => [...new Set(xs)].sort();
  return {
    roles: sortedUnique(grants.map((g) => g.role)),
    grants,
    declaredRoles: sortedUnique(feeds.flatMap((f) => f.access.roles)),
  };
}
