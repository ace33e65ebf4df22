/**
 * Desired MySQL roles and their SELECT grants on feed tables (pure): every role named in `access.roles` of a feed
 * whose warehouse destination is on, and one grant per (role, table) — plus, for table feeds, per (role, the
 * table's `_latest` view).
 */
import type { Config } from '../../config/config.js';
import type { FeedSpec } from '../../feeds/types.js';
import { latestViewName } from '../../shape.js';
import { hasLatestView } from '../views/desired.js';

/** What a grant is on: a feed table or a table feed's latest view (plans name it `table` or `view`). */
export type GrantTarget = 'table' | 'view';

/** A SELECT grant of one role on one feed table or view. Invariant: id is `role@table` (`table` holds the view's name for views). */
export interface GrantDef {
  id: string;
  role: string;
  table: string;
  feed: string;
  on: GrantTarget;
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
    const relations: Array<[string, GrantTarget]> = [[table, 'table']];
    if (hasLatestView(f)) relations.push([latestViewName(table), 'view']);
    for (const role of f.access.roles) {
      for (const [name, on] of relations)
        grants.push({ id: `${role}@${name}`, role, table: name, feed: f.name, on });
    }
  }
  const sortedUnique = (xs: string[]) => [...new Set(xs)].sort();
  return {
    roles: sortedUnique(grants.map((g) => g.role)),
    grants,
    declaredRoles: sortedUnique(feeds.flatMap((f) => f.access.roles)),
  };
}
