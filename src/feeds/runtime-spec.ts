/**
 * The part of a feed's spec its consumers run on, and its hash (pure). A change to any of it restarts the feed's
 * consumers (its generation increases); changes elsewhere (owner, topic configs, partitions, retention, access,
 * column collations) do not.
 */
import { createHash } from 'node:crypto';
import type { FeedSpec, FieldSpec } from './types.js';

/** Runtime-relevant spec. Invariant: JSON-serialisable; equal specs give equal {@link specHash}. */
export function runtimeSpec(f: FeedSpec) {
  return {
    name: f.name,
    type: f.type,
    topic: f.topic.name,
    // A collation only changes the warehouse DDL, which the reconciler applies; consumers do not depend on it.
    // The property is there only when mapped, so the hashes of feeds without a mapping stay what they were.
    schema: { ...f.schema, fields: f.schema.fields.map(runtimeField) },
    destinations: f.destinations,
    deadLetter: f.deadLetter,
    // Only table feeds carry it, so the hashes (and generations) of stream feeds stay what they were.
    ...(f.snapshot ? { snapshot: f.snapshot } : {}),
  };
}

function runtimeField({ collation: _collation, property, ...rest }: FieldSpec) {
  return property === rest.name ? rest : { ...rest, property };
}

/** JSON with object keys sorted at every level, so equal values serialize identically. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Hashes already computed, per spec object (a plan asks for each feed's hash more than once). */
const hashes = new WeakMap<FeedSpec, string>();

/** sha256 (hex) of the canonical runtime spec. Specs are never mutated, so a spec's hash is computed once. */
export function specHash(f: FeedSpec): string {
  let hash = hashes.get(f);
  if (hash === undefined) {
    hash = createHash('sha256')
      .update(canonicalJson(runtimeSpec(f)))
      .digest('hex');
    hashes.set(f, hash);
  }
  return hash;
}
