/**
 * Topic diff (pure). Creates missing topics, raises partition counts, realigns the configs the manifest names
 * (values compared in normal form), adopts on request, and prunes owned topics of removed feeds. Impossible changes
 * — fewer partitions, another replication factor — are plan errors with the way out, never delete-and-recreate.
 * Topics feedctl does not own are never changed, pruned or reported as drift.
 */
import type { Inventory } from '../inventory/observe.js';
import type { Change, DiffOptions, DiffResult, Json, PlanError } from '../plan/types.js';
import type { TopicDef } from './desired.js';
import type { ObservedTopic, ObservedTopics } from './observe.js';

/** Configs whose value is a comma-separated set: order is not significant. */
const LIST_CONFIGS = new Set([
  'cleanup.policy',
  'leader.replication.throttled.replicas',
  'follower.replication.throttled.replicas',
]);

/** The normal form of a config value, so that `compact,delete` equals `delete, compact` and `TRUE` equals `true`. */
export function normalizeConfigValue(key: string, value: string): string {
  const v = value.trim();
  if (LIST_CONFIGS.has(key))
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .sort()
      .join(',');
  return /^(true|false)$/i.test(v) ? v.toLowerCase() : v;
}

export function diffTopics(
  desired: readonly TopicDef[],
  observed: ObservedTopics,
  inventory: Inventory,
  opts: DiffOptions,
): DiffResult {
  const changes: Change[] = [];
  const errors: PlanError[] = [];
  for (const d of desired) {
    const o = observed.get(d.name);
    const owned = inventory.owned('topic', d.name) !== undefined;
    if (!o) changes.push(createChange(d));
    else if (!owned && !d.adopt) errors.push(notOwned(d));
    else diffExisting(d, o, owned, changes, errors);
  }
  if (opts.prune) changes.push(...pruneChanges(desired, observed, inventory));
  return { changes, errors };
}

function createChange(d: TopicDef): Change {
  return {
    kind: 'topic',
    id: d.name,
    feed: d.feed,
    action: 'create',
    before: null,
    after: { partitions: d.partitions, replicationFactor: d.replicationFactor, configs: d.configs },
    destructive: false,
    reason:
      d.role === 'dead-letter' ? 'dead-letter topic of the feed does not exist' : 'topic does not exist',
  };
}

function diffExisting(
  d: TopicDef,
  o: ObservedTopic,
  owned: boolean,
  changes: Change[],
  errors: PlanError[],
): void {
  if (o.partitions > d.partitions) errors.push(fewerPartitions(d, o));
  if (o.replicationFactor !== d.replicationFactor) errors.push(otherReplication(d, o));
  const drifted = Object.keys(d.configs).filter((k) => !sameConfig(k, d.configs[k], o.configs[k]));
  const grow = o.partitions < d.partitions;
  if (owned && !grow && drifted.length === 0) return;
  const pick = (src: Record<string, string>) => Object.fromEntries(drifted.map((k) => [k, src[k] ?? null]));
  const before: Record<string, Json> = {};
  const after: Record<string, Json> = {};
  if (grow || !owned) [before.partitions, after.partitions] = [o.partitions, d.partitions];
  if (drifted.length > 0 || !owned) [before.configs, after.configs] = [pick(o.configs), pick(d.configs)];
  changes.push({
    kind: 'topic',
    id: d.name,
    feed: d.feed,
    action: owned ? 'update' : 'adopt',
    before,
    after,
    destructive: false,
    reason: owned
      ? updateReason(grow, drifted)
      : 'adopt: true in the manifest; feedctl will manage this existing topic',
  });
}

function sameConfig(key: string, want: string | undefined, have: string | undefined): boolean {
  return (
    want !== undefined &&
    have !== undefined &&
    normalizeConfigValue(key, want) === normalizeConfigValue(key, have)
  );
}

function updateReason(grow: boolean, drifted: string[]): string {
  const parts = [
    grow ? 'more partitions requested' : '',
    drifted.length ? `config differs: ${drifted.join(', ')}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}

function pruneChanges(
  desired: readonly TopicDef[],
  observed: ObservedTopics,
  inventory: Inventory,
): Change[] {
  const wanted = new Set(desired.map((t) => t.name));
  return inventory
    .ofKind('topic')
    .filter((e) => !wanted.has(e.id) && observed.has(e.id))
    .map((e) => {
      const o = observed.get(e.id) as ObservedTopic;
      return {
        kind: 'topic' as const,
        id: e.id,
        feed: e.feed,
        action: 'delete' as const,
        before: { partitions: o.partitions, replicationFactor: o.replicationFactor, configs: o.overrides },
        after: null,
        destructive: true,
        reason: '--prune: no manifest declares this topic any more; its messages are deleted with it',
      };
    });
}

function notOwned(d: TopicDef): PlanError {
  return {
    kind: 'topic',
    id: d.name,
    feed: d.feed,
    message: `topic ${d.name} already exists and was not created by feedctl`,
    remedy: 'set spec.topic.adopt: true in the manifest to manage it, or choose another topic name',
  };
}

function fewerPartitions(d: TopicDef, o: ObservedTopic): PlanError {
  return {
    kind: 'topic',
    id: d.name,
    feed: d.feed,
    message: `cannot decrease partitions of ${d.name} from ${o.partitions} to ${d.partitions}: Kafka cannot remove partitions`,
    remedy: `keep partitions: ${o.partitions} in the manifest, or create a new topic with ${d.partitions} partitions and move producers and consumers to it`,
  };
}

function otherReplication(d: TopicDef, o: ObservedTopic): PlanError {
  return {
    kind: 'topic',
    id: d.name,
    feed: d.feed,
    message: `cannot change the replication factor of ${d.name} from ${o.replicationFactor} to ${d.replicationFactor} by reconciling`,
    remedy: `set replicationFactor: ${o.replicationFactor} in the manifest, or reassign replicas with kafka-reassign-partitions.sh first`,
  };
}
