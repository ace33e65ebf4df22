/**
 * The status model: one JSON-serialisable value that `feedctl status -o json`, the status page (`GET /`) and its
 * API (`GET /api/status`) all show, built by one function (read.ts), so the CLI and the page cannot disagree. A
 * feed's page (`GET /feeds/<name>`, `GET /api/feeds/<name>`) adds its {@link FeedDetail}.
 *
 * Nothing here is a secret: manifests hold none, and every error text is masked before it gets here.
 */
import type { ControllerView, InvalidManifest } from '../control/controllers.js';
import type { SyncState } from '../control/feed-sync.js';
import type { SnapshotView } from '../control/snapshots.js';
import type { ConsumerView, WorkerView } from '../control/status.js';

export type { ControllerView, ConsumerView, InvalidManifest, SnapshotView, SyncState, WorkerView };

/** A feed's sync state as the last compare saw it; `unknown` before any reconcile recorded one. */
export interface FeedSyncStatus {
  state: SyncState | 'unknown';
  /** Why (the drifted resources, the breaker's reasons, the manifest diagnostic…); null when in sync. */
  detail: string | null;
  /** When the state last changed, and when it was last observed (ISO); null when unknown. */
  since: string | null;
  observedAt: string | null;
}

/** One destination (lake or warehouse) of a feed: what is declared against what runs. */
export interface DestinationStatus {
  destination: 'lake' | 'warehouse';
  /** The generation `reconcile` declared. */
  generation: number;
  /** Generations live workers run (the declared one once they caught up). */
  runningGenerations: number[];
  verdict: ConsumerView['verdict'];
  lag: number | null;
  lagByPartition: Record<string, number>;
  /** Messages per second over the last minute and the last five, summed over workers. */
  perSecond1m: number;
  perSecond5m: number;
  /** The last durable write: when, and the lake file written (null for the warehouse). */
  lastWrite: { at: string; file: string | null } | null;
  detail: string | null;
}

/** A dead letter as workers report it: coordinates and why, never the message. */
export interface DeadLetterView {
  at: string;
  destination: string;
  partition: number;
  offset: string;
  stage: string;
  reason: string;
}

/** One feed, as the page's list shows it. */
export interface FeedStatus {
  name: string;
  type: 'stream' | 'table' | null;
  owner: string | null;
  description: string | null;
  labels: Record<string, string>;
  topic: string | null;
  enabled: boolean;
  sync: FeedSyncStatus;
  destinations: DestinationStatus[];
  /** Dead letters written by the running consumers since they started, and the last few. */
  deadLetters: { count: number; recent: DeadLetterView[] };
  /** Table feeds: the published and the open versions, per destination. */
  snapshots: SnapshotView[];
  /** The retention policy (`180 days`, `5 versions`) and retention's last deletion for this feed. */
  retention: { policy: string | null; lastDeletedAt: string | null; lastDeleted: string | null };
}

/** Everything `feedctl status -o json` and `GET /api/status` answer. */
export interface StatusModel {
  generatedAt: string;
  feeds: FeedStatus[];
  workers: WorkerView[];
  /** Declared consumers (feed × destination) and what runs them. */
  consumers: ConsumerView[];
  snapshots: SnapshotView[];
  /** Watch controllers seen in the last hour: last reconcile (trigger, outcome, time) and breaker state. */
  controllers: ControllerView[];
  /** Broken manifest files the newest controller reported (a new file's feed may have no row in `feeds`). */
  invalid: InvalidManifest[];
}

/** One audit journal row about a feed's resources. */
export interface AuditRow {
  at: string;
  actor: string;
  action: string;
  kind: string;
  id: string;
  outcome: string;
  error: string | null;
}

/** One version of a table feed in one destination, from the snapshot ledger. */
export interface LedgerRow {
  version: number;
  destination: string;
  state: string;
  snapshotDate: string | null;
  rows: number | null;
  openedAt: string | null;
  publishedAt: string | null;
  reason: string | null;
}

/** What a feed's page adds to its {@link FeedStatus}. */
export interface FeedDetail {
  feed: FeedStatus;
  manifestPath: string | null;
  manifest: string | null;
  /** The feed's part of the last plan, rendered as `feedctl reconcile --dry-run` prints it (null: none recorded). */
  planText: string | null;
  audit: AuditRow[];
  consumers: ConsumerView[];
  workers: WorkerView[];
  /** Messages in the dead-letter topic now (log end − log start, summed), null when unknown. */
  deadLetterTopic: { name: string; messages: number | null } | null;
  ledger: LedgerRow[];
}
