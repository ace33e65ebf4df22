/**
 * Registry and retention diff (pure). Rows of feeds with a manifest are created or realigned field by field; the
 * generation increases exactly when the spec hash changes. A row some person inserted by hand (the seed's runbook,
 * `managed_by` NULL) is adopted when a manifest names the feed. A managed row whose manifest is gone is disabled,
 * never deleted: the feed's topic, table and lake data stay.
 */
import type { Change, DiffOptions, DiffResult, Json } from '../plan/types.js';
import type { DesiredRegistry, RegistryRow, RetentionRow } from './desired.js';
import type { ObservedRegistry, ObservedRegistryRow } from './observe.js';

type Row = { [k: string]: Json };

/** The fields of `want` whose value differs in `have`, as before/after objects. */
function fieldDiff(want: Row, have: Row): { before: Row; after: Row } {
  const keys = Object.keys(want).filter((k) => want[k] !== have[k]);
  return {
    before: Object.fromEntries(keys.map((k) => [k, have[k] ?? null])),
    after: Object.fromEntries(keys.map((k) => [k, want[k] ?? null])),
  };
}

/** The generation a feed's registry row has once the plan is applied: +1 exactly when the spec hash changes. */
export function nextGeneration(specHash: string, o: ObservedRegistryRow | undefined): number {
  if (!o) return 1;
  return o.specHash === specHash ? o.generation : o.generation + 1;
}

function registryChange(row: RegistryRow, o: ObservedRegistryRow | undefined): Change | null {
  const want = row as unknown as Row;
  const base = { kind: 'registry' as const, id: row.feedName, feed: row.feedName, destructive: false };
  const generation = nextGeneration(row.specHash, o);
  if (!o)
    return {
      ...base,
      action: 'create',
      before: null,
      after: { ...want, generation },
      reason: 'feed not registered',
    };
  const { managedBy: _m, generation: _g, ...have } = o;
  if (o.managedBy !== 'feedctl') {
    return {
      ...base,
      action: 'adopt',
      before: { ...(have as unknown as Row), generation: o.generation },
      after: { ...want, generation },
      reason: 'registered by hand; the manifest now manages this feed',
    };
  }
  const d = fieldDiff(want, have as unknown as Row);
  if (Object.keys(d.after).length === 0) return null;
  return {
    ...base,
    action: 'update',
    before: { ...d.before, generation: o.generation },
    after: { ...d.after, generation },
    reason:
      generation > o.generation ? 'runtime spec changed: generation increases' : 'registry fields differ',
  };
}

function retentionChange(row: RetentionRow, o: RetentionRow | undefined): Change | null {
  const base = { kind: 'retention' as const, id: row.feedName, feed: row.feedName, destructive: false };
  if (!o)
    return { ...base, action: 'create', before: null, after: { ...row }, reason: 'no retention policy' };
  const d = fieldDiff(row as unknown as Row, o as unknown as Row);
  if (Object.keys(d.after).length === 0) return null;
  return { ...base, action: 'update', ...d, reason: 'retention policy differs' };
}

function disableChange(o: ObservedRegistryRow): Change {
  return {
    kind: 'registry',
    id: o.feedName,
    feed: o.feedName,
    action: 'update',
    before: { enabled: true },
    after: { enabled: false },
    destructive: false,
    reason: 'manifest removed: the feed is disabled; its topic, table and lake data are kept',
  };
}

export function diffRegistry(
  desired: DesiredRegistry,
  observed: ObservedRegistry,
  opts: DiffOptions,
): DiffResult {
  const changes: Change[] = [];
  for (const row of desired.registry) {
    const c = registryChange(row, observed.registry.get(row.feedName));
    if (c) changes.push(c);
  }
  for (const row of desired.retention) {
    const c = retentionChange(row, observed.retention.get(row.feedName));
    if (c) changes.push(c);
  }
  for (const o of observed.registry.values()) {
    if (o.managedBy === 'feedctl' && o.enabled && !opts.desiredFeeds.has(o.feedName))
      changes.push(disableChange(o));
  }
  return { changes, errors: [] };
}
