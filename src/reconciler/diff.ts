/**
 * The whole diff (pure): every kind's diff over (desired, observed), gathered and put in apply order.
 */
import { diffConsumers } from './consumers/diff.js';
import type { DesiredState } from './desired.js';
import { diffGrants } from './grants/diff.js';
import type { ObservedState } from './observe.js';
import { orderChanges } from './order.js';
import type { DiffOptions, DiffResult } from './plan/types.js';
import { diffRegistry, nextGeneration } from './registry/diff.js';
import { diffTables } from './tables/diff.js';
import { diffTopics } from './topics/diff.js';

export function diffState(desired: DesiredState, observed: ObservedState, opts: DiffOptions): DiffResult {
  const inv = observed.inventory;
  const desiredTables = new Set(desired.tables.map((t) => t.name));
  const pruned = opts.prune
    ? inv
        .ofKind('table')
        .map((e) => e.id)
        .filter((t) => !desiredTables.has(t))
    : [];
  const hashes = new Map(desired.registry.registry.map((r) => [r.feedName, r.specHash]));
  const feeds = new Map(desired.feeds.map((f) => [f.name, f]));
  const parts: DiffResult[] = [
    diffTopics(desired.topics, observed.topics, inv, opts),
    diffTables(desired.tables, observed.tables, inv, opts, observed.collations),
    diffGrants(desired.grants, observed.grants, inv, [...desiredTables, ...pruned], opts),
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
