/**
 * Desired consumers (pure): an enabled feed with at least one destination has consumers to run, at the spec
 * hash of its manifest. Which worker runs them, and whether it has caught up, is status — never part of a plan.
 */
import type { Destination, FeedSpec } from '../../feeds/types.js';
import { specHash } from '../../feeds/runtime-spec.js';

/** Invariant: `destinations` is non-empty and in the order lake, warehouse. */
export interface ConsumerDef {
  feed: string;
  specHash: string;
  destinations: Destination[];
}

export function destinationsOf(f: FeedSpec): Destination[] {
  const out: Destination[] = [];
  if (f.destinations.lake.enabled) out.push('lake');
  if (f.destinations.warehouse.enabled) out.push('warehouse');
  return out;
}

export function desiredConsumers(feeds: FeedSpec[]): ConsumerDef[] {
  return feeds
    .filter((f) => f.enabled && destinationsOf(f).length > 0)
    .map((f) => ({ feed: f.name, specHash: specHash(f), destinations: destinationsOf(f) }));
}
