/**
 * Builds the status model from what was read (pure): one {@link FeedStatus} per feed the registry or a recorded
 * sync state knows, joining its sync state, its declared consumers, its snapshots and its retention.
 */
import type { FeedSyncState } from '../control/feed-sync.js';
import { maskSecrets } from '../errors.js';
import type { StatusView } from '../control/status.js';
import type {
  ConsumerView,
  DeadLetterView,
  DestinationStatus,
  FeedStatus,
  FeedSyncStatus,
  StatusModel,
} from './model.js';

/** A feed_registry row, as the page needs it. */
export interface RegistryRow {
  feed: string;
  type: 'stream' | 'table';
  topic: string;
  enabled: boolean;
}

/** A feed's retention policy and retention's last deletion. */
export interface RetentionRow {
  feed: string;
  policy: string | null;
  lastDeletedAt: string | null;
  lastDeleted: string | null;
}

/** What {@link buildModel} joins. */
export interface ModelParts {
  status: StatusView;
  syncs: FeedSyncState[];
  registry: RegistryRow[];
  retention: RetentionRow[];
  now: Date;
}

export function buildModel(p: ModelParts): StatusModel {
  const names = [...new Set([...p.registry.map((r) => r.feed), ...p.syncs.map((s) => s.feed)])].sort();
  const registry = new Map(p.registry.map((r) => [r.feed, r]));
  const syncs = new Map(p.syncs.map((s) => [s.feed, s]));
  const retention = new Map(p.retention.map((r) => [r.feed, r]));
  const feeds = names.map((name) =>
    feedStatus(name, {
      registry: registry.get(name),
      sync: syncs.get(name),
      consumers: p.status.consumers.filter((c) => c.feed === name),
      snapshots: p.status.snapshots.filter((s) => s.feed === name),
      retention: retention.get(name),
    }),
  );
  const newest = p.status.controllers[0];
  return {
    generatedAt: p.now.toISOString(),
    feeds,
    workers: p.status.workers,
    consumers: p.status.consumers,
    snapshots: p.status.snapshots,
    controllers: p.status.controllers,
    invalid: newest?.lastRun.invalid ?? [],
  };
}

interface FeedParts {
  registry: RegistryRow | undefined;
  sync: FeedSyncState | undefined;
  consumers: ConsumerView[];
  snapshots: FeedStatus['snapshots'];
  retention: RetentionRow | undefined;
}

function feedStatus(name: string, f: FeedParts): FeedStatus {
  const summary = f.sync?.summary;
  return {
    name,
    type: summary?.type ?? f.registry?.type ?? null,
    owner: summary?.owner ?? null,
    description: summary?.description ?? null,
    labels: summary?.labels ?? {},
    topic: summary?.topic ?? f.registry?.topic ?? null,
    enabled: f.registry?.enabled ?? false,
    sync: syncOf(f.sync),
    destinations: f.consumers.map(destinationOf),
    deadLetters: {
      count: f.consumers.reduce((n, c) => n + c.deadLetters, 0),
      recent: deadLettersOf(f.consumers),
    },
    snapshots: f.snapshots,
    retention: {
      policy: f.retention?.policy ?? summary?.retention ?? null,
      lastDeletedAt: f.retention?.lastDeletedAt ?? null,
      lastDeleted: f.retention?.lastDeleted ?? null,
    },
  };
}

function syncOf(s: FeedSyncState | undefined): FeedSyncStatus {
  if (!s)
    return {
      state: 'unknown',
      detail: 'no reconcile has recorded this feed yet',
      since: null,
      observedAt: null,
    };
  return {
    state: s.state,
    detail: s.detail === null ? null : maskSecrets(s.detail),
    since: s.since,
    observedAt: s.observedAt,
  };
}

function destinationOf(c: ConsumerView): DestinationStatus {
  return {
    destination: c.destination,
    generation: c.generation,
    runningGenerations: c.runningGenerations,
    verdict: c.verdict,
    lag: c.lag,
    lagByPartition: c.lagByPartition,
    perSecond1m: c.perSecond1m,
    perSecond5m: c.perSecond5m,
    lastWrite: c.lastWrite,
    detail: c.detail === null ? null : maskSecrets(c.detail),
  };
}

function deadLettersOf(consumers: ConsumerView[]): DeadLetterView[] {
  return consumers
    .flatMap((c) =>
      c.recentDeadLetters.map((d) => ({ ...d, destination: c.destination, reason: maskSecrets(d.reason) })),
    )
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 5);
}
