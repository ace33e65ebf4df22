/**
 * The whole diff (pure): every kind's diff over (desired, observed), gathered and put in apply order.
 */
import { diffConsumers } from './consumers/diff.js';
import type { DesiredState } from './desired.js';
import { diffGrants } from './grants/diff.js';
import type { Inventory } from './inventory/observe.js';
import type { ObservedState } from './observe.js';
import { orderChanges } from './order.js';
import type { DiffOptions, DiffResult } from './plan/types.js';
import { diffRegistry, nextGeneration } from './registry/diff.js';
import { diffTables } from './tables/diff.js';
import { diffTopics } from './topics/diff.js';
import { diffViews } from './views/diff.js';

export function diffState(desired: DesiredState, observed: ObservedState, opts: DiffOptions): DiffResult {
  const inv = observed.inventory;
  const tables = managed(inv, 'table', desired.tables, opts.prune);
  const views = managed(inv, 'view', desired.views, opts.prune);
  const hashes = new Map(desired.registry.registry.map((r) => [r.feedName, r.specHash]));
  const feeds = new Map(desired.feeds.map((f) => [f.name, f]));
  const parts: DiffResult[] = [
    diffTopics(desired.topics, observed.topics, inv, opts),
    diffTables(desired.tables, observed.tables, inv, opts, observed.collations),
    diffViews(desired.views, observed.views, inv, opts),
    diffGrants(desired.grants, observed.grants, inv, tables, opts, views),
    diffRegistry(desired.registry, observed.registry, opts),
    diffConsumers(
      desired.consumers,
      observed.consumers,
      (feed) => nextGeneration(hashes.get(feed) ?? '', observed.registry.registry.get(feed)),
      (feed) => {
        const f = feeds.get(feed);
        if (!f) return 'manifest removed';
        return f.enabled ? 'no destination enabled' : 'feed disabled (enabled: false)';
      },
    ),
  ];
  return {
    changes: orderChanges(parts.flatMap((p) => p.changes)),
    errors: parts.flatMap((p) => p.errors),
  };
}

/** The relations whose grants feedctl manages: the desired ones and, with --prune, the owned ones it drops. */
function managed(inv: Inventory, kind: 'table' | 'view', wanted: Array<{ name: string }>, prune: boolean) {
  const names = new Set(wanted.map((w) => w.name));
  const pruned = prune
    ? inv
        .ofKind(kind)
        .map((e) => e.id)
        .filter((id) => !names.has(id))
    : [];
  return [...names, ...pruned];
}
