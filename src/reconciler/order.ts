/**
 * Apply order. Creates, adopts and updates follow dependencies — topics and tables (then their columns and indexes,
 * then the latest views that list those columns) before registry rows and grants, consumers last; deletes come
 * after them in the reverse order (consumers stop before their grants, views before their tables, tables and
 * topics go). The sort is stable, so each kind's own order (from its diff) is kept.
 */
import type { Change, ResourceKind } from './plan/types.js';

const RANK: Record<ResourceKind, number> = {
  topic: 0,
  table: 1,
  column: 2,
  index: 3,
  view: 4,
  registry: 5,
  retention: 6,
  role: 7,
  grant: 8,
  consumer: 9,
};

const LAST = Object.keys(RANK).length;

function position(c: Change): number {
  return c.action === 'delete' ? 2 * LAST - RANK[c.kind] : RANK[c.kind];
}

/** A new array of the changes in apply order. */
export function orderChanges(changes: readonly Change[]): Change[] {
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => position(a.c) - position(b.c) || a.i - b.i)
    .map(({ c }) => c);
}
