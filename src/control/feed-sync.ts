/**
 * Each feed's sync state in `feedctl_feed_sync` (migrations/0008): what the watch controller last found when it
 * compared the manifests with Kafka and MySQL — in sync, changes pending, drift, blocked by the breaker, invalid
 * manifest, failed — with why, the feed's part of the plan and its manifest text. Written by the controller
 * (src/controller/sync.ts), read by the status model (src/status). Status only, never a plan diff.
 */
import type { Connection, Pool, RowDataPacket } from '../clients/mysql.js';
import { jsonColumn } from '../clients/mysql.js';
import { optionalRows } from './optional.js';

export type SyncState = 'in sync' | 'changes pending' | 'drift' | 'blocked' | 'invalid manifest' | 'failed';

/** What a feed's manifest says, as the page lists it. */
export interface FeedSummary {
  type: 'stream' | 'table';
  owner: string | null;
  description: string | null;
  labels: Record<string, string>;
  topic: string;
  destinations: Array<'lake' | 'warehouse'>;
  /** `180 days`, `5 versions`. */
  retention: string | null;
}

export interface FeedSync {
  feed: string;
  state: SyncState;
  /** For a person: the breaker's reasons, the plan errors, the manifest diagnostic, what drifted. */
  detail: string | null;
  /** The feed's part of the last plan (a Plan of src/reconciler/plan/types.ts: only this feed's changes and errors). */
  plan: unknown;
  manifestPath: string | null;
  /** The manifest file's text as last read; null when unknown. */
  manifest: string | null;
  /** sha256 of the feed's normalized spec, and of the spec last applied or found in sync. */
  manifestHash: string | null;
  appliedHash: string | null;
  summary: FeedSummary;
  observedAt: string;
  /** When `state` last changed. */
  since: string;
  /** The controller that recorded it. */
  recordedBy: string;
}

const TS = (column: string) => `DATE_FORMAT(${column}, '%Y-%m-%dT%H:%i:%s.%fZ')`;
/** A feed's recorded state without its plan and manifest: what the feed list and the next compare need. */
export type FeedSyncState = Omit<FeedSync, 'plan' | 'manifest'>;

const STATE_COLUMNS = `feed_name, state, detail, manifest_path, manifest_hash, applied_hash, summary,
  ${TS('observed_at')} AS observed_at, ${TS('since')} AS since, recorded_by`;

/** Every recorded feed's state, by name (not the plans and manifests: read per feed); none before the table exists. */
export async function readFeedStates(db: Connection | Pool): Promise<FeedSyncState[]> {
  const rows = await optionalRows(db, `SELECT ${STATE_COLUMNS} FROM feedctl_feed_sync ORDER BY feed_name`);
  return rows.map(stateOf);
}

export async function readFeedSync(db: Connection | Pool, feed: string): Promise<FeedSync | null> {
  const rows = await optionalRows(
    db,
    `SELECT ${STATE_COLUMNS}, plan, manifest FROM feedctl_feed_sync WHERE feed_name = ?`,
    [feed],
  );
  const r = rows[0];
  return r ? { ...stateOf(r), plan: jsonColumn<unknown>(r.plan), manifest: text(r.manifest) } : null;
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

function stateOf(r: RowDataPacket): FeedSyncState {
  return {
    feed: String(r.feed_name),
    state: String(r.state) as SyncState,
    detail: text(r.detail),
    manifestPath: text(r.manifest_path),
    manifestHash: text(r.manifest_hash),
    appliedHash: text(r.applied_hash),
    summary: jsonColumn<FeedSummary>(r.summary),
    observedAt: String(r.observed_at),
    since: String(r.since),
    recordedBy: String(r.recorded_by),
  };
}

/** Rows per multi-row upsert. */
const CHUNK = 200;

/** Upserts the given feeds' rows (other feeds' rows stay: a removed feed keeps its last state). */
export async function saveFeedSyncs(db: Connection | Pool, rows: readonly FeedSync[]): Promise<void> {
  const one = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await db.query(
      `INSERT INTO feedctl_feed_sync (feed_name, state, detail, plan, manifest_path, manifest, manifest_hash,
         applied_hash, summary, observed_at, since, recorded_by)
       VALUES ${chunk.map(() => one).join(', ')}
       ON DUPLICATE KEY UPDATE state = VALUES(state), detail = VALUES(detail), plan = VALUES(plan),
         manifest_path = VALUES(manifest_path), manifest = VALUES(manifest), manifest_hash = VALUES(manifest_hash),
         applied_hash = VALUES(applied_hash), summary = VALUES(summary), observed_at = VALUES(observed_at),
         since = VALUES(since), recorded_by = VALUES(recorded_by)`,
      chunk.flatMap(values),
    );
  }
}

function values(s: FeedSync): unknown[] {
  const ts = (iso: string) => iso.replace('T', ' ').replace('Z', '');
  return [
    s.feed,
    s.state,
    s.detail,
    JSON.stringify(s.plan),
    s.manifestPath,
    s.manifest,
    s.manifestHash,
    s.appliedHash,
    JSON.stringify(s.summary),
    ts(s.observedAt),
    ts(s.since),
    s.recordedBy,
  ];
}
