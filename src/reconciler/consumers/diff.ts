/**
 * Consumer diff (pure): says when applying the plan makes workers start, restart or stop a feed's consumers. The
 * generation is the registry's (see registry/diff.ts), so a restart happens exactly when the runtime spec changed.
 */
import type { Change, DiffResult } from '../plan/types.js';
import type { ConsumerDef } from './desired.js';
import type { ObservedConsumer } from './observe.js';

export function diffConsumers(
  desired: readonly ConsumerDef[],
  observed: ReadonlyMap<string, ObservedConsumer>,
  generationOf: (feed: string) => number,
  removedReason: (feed: string) => string,
): DiffResult {
  const changes: Change[] = [];
  const wanted = new Set(desired.map((c) => c.feed));
  for (const d of desired) {
    const o = observed.get(d.feed);
    const after = { generation: generationOf(d.feed), specHash: d.specHash, destinations: d.destinations };
    const base = { kind: 'consumer' as const, id: d.feed, feed: d.feed, destructive: false, after };
    if (!o)
      changes.push({
        ...base,
        action: 'create',
        before: null,
        reason: `workers start consuming into ${d.destinations.join(' and ')}`,
      });
    else if (o.specHash !== d.specHash || o.generation !== after.generation) {
      const before = { generation: o.generation, specHash: o.specHash, destinations: o.destinations };
      changes.push({
        ...base,
        action: 'update',
        before,
        reason: `running consumers restart at generation ${after.generation}`,
      });
    }
  }
  for (const o of observed.values()) {
    if (wanted.has(o.feed)) continue;
    changes.push({
      kind: 'consumer',
      id: o.feed,
      feed: o.feed,
      action: 'delete',
      before: { generation: o.generation, specHash: o.specHash, destinations: o.destinations },
      after: null,
      destructive: false,
      reason: `workers stop consuming: ${removedReason(o.feed)}`,
    });
  }
  return { changes, errors: [] };
}
