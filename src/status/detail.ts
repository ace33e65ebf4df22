/**
 * What a feed's page adds to its row of the status model: the manifest and its last plan (as the recorded sync
 * state holds them), the audit rows about its resources, the consumers and workers that run it, its dead-letter
 * topic's size and its snapshot ledger. Read-only, a few queries run together.
 */
import type { Connection, Pool } from '../clients/mysql.js';
import { readFeedSync } from '../control/feed-sync.js';
import { maskSecrets } from '../errors.js';
import type { Plan } from '../reconciler/plan/types.js';
import { renderPlan } from '../reconciler/plan/render.js';
import { SNAPSHOT_LEDGER as L } from '../shape.js';
import type { AuditRow, FeedDetail, LedgerRow, StatusModel } from './model.js';
import { optionalRows as optional } from '../control/optional.js';

/** Messages in a topic now (log end − log start over its partitions); null when Kafka does not answer. */
export type TopicSizeOf = (topic: string) => Promise<number | null>;

const TS = (column: string) => `DATE_FORMAT(${column}, '%Y-%m-%dT%H:%i:%s.%fZ')`;

/** Audit rows and ledger versions a feed's page shows (the newest). */
const AUDIT_ROWS = 20;
const LEDGER_ROWS = 20;

/** The page of one feed of `model`; null when the model has no such feed. */
export async function readFeedDetail(
  db: Connection | Pool,
  model: StatusModel,
  name: string,
  topicSize: TopicSizeOf,
): Promise<FeedDetail | null> {
  const feed = model.feeds.find((f) => f.name === name);
  if (!feed) return null;
  const [sync, names, ledger] = await Promise.all([
    readFeedSync(db, name),
    resourceNames(db, name),
    readLedger(db, name),
  ]);
  const [audit, messages] = await Promise.all([
    readAudit(db, name, feed.topic, names.table),
    names.deadLetterTopic ? topicSize(names.deadLetterTopic).catch(() => null) : null,
  ]);
  const consumers = model.consumers.filter((c) => c.feed === name);
  const running = new Set(consumers.flatMap((c) => c.workers));
  return {
    feed,
    manifestPath: sync?.manifestPath ?? null,
    manifest: sync?.manifest ?? null,
    planText: sync ? renderPlan(sync.plan as Plan, 'text', { color: false }) : null,
    audit,
    consumers,
    workers: model.workers.filter((w) => running.has(w.instanceId)),
    deadLetterTopic: names.deadLetterTopic ? { name: names.deadLetterTopic, messages } : null,
    ledger,
  };
}

async function resourceNames(db: Connection | Pool, feed: string) {
  const [row] = await optional(
    db,
    'SELECT warehouse_table, dead_letter_topic FROM feed_registry WHERE feed_name = ?',
    [feed],
  );
  return {
    table: row?.warehouse_table ? String(row.warehouse_table) : null,
    deadLetterTopic: row?.dead_letter_topic ? String(row.dead_letter_topic) : null,
  };
}

/** The feed's own rows (registry, retention, consumer, retention deletions) and its topic's, table's and grants'. */
async function readAudit(
  db: Connection | Pool,
  feed: string,
  topic: string | null,
  table: string | null,
): Promise<AuditRow[]> {
  const rows = await optional(
    db,
    `SELECT ${TS('occurred_at')} AS at, actor, action, resource_kind, resource_id, outcome, error FROM audit_log
     WHERE resource_id = ? OR resource_id LIKE ? OR (resource_kind = 'topic' AND resource_id = ?)
       OR (resource_kind IN ('table', 'view') AND resource_id IN (?, ?))
       OR (resource_kind IN ('column', 'index') AND resource_id LIKE ?)
       OR (resource_kind = 'grant' AND (resource_id LIKE ? OR resource_id LIKE ?))
     ORDER BY id DESC LIMIT ${AUDIT_ROWS}`,
    [
      feed,
      `${feed}:%`,
      topic ?? '',
      table ?? '',
      `${table ?? ''}_latest`,
      `${table ?? ''}.%`,
      `%@${table ?? ''}`,
      `%@${table ?? ''}_latest`,
    ],
  );
  return rows.map((r) => ({
    at: String(r.at),
    actor: String(r.actor),
    action: String(r.action),
    kind: String(r.resource_kind),
    id: String(r.resource_id),
    outcome: String(r.outcome),
    error: r.error === null ? null : maskSecrets(String(r.error)),
  }));
}

async function readLedger(db: Connection | Pool, feed: string): Promise<LedgerRow[]> {
  const rows = await optional(
    db,
    `SELECT s.version, s.destination, s.state, DATE_FORMAT(v.snapshot_date, '%Y-%m-%d') AS day, s.rows_total,
       ${TS('s.opened_at')} AS opened, ${TS('s.published_at')} AS published, s.reason
     FROM ${L.snapshots} s LEFT JOIN ${L.versions} v
       ON v.feed_name = s.feed_name AND v.version = s.version
     WHERE s.feed_name = ? ORDER BY s.version DESC, s.destination LIMIT ${LEDGER_ROWS}`,
    [feed],
  );
  return rows.map((r) => ({
    version: Number(r.version),
    destination: String(r.destination),
    state: String(r.state),
    snapshotDate: r.day === null ? null : String(r.day),
    rows: r.rows_total === null ? null : Number(r.rows_total),
    openedAt: r.opened === null ? null : String(r.opened),
    publishedAt: r.published === null ? null : String(r.published),
    reason: r.reason === null ? null : maskSecrets(String(r.reason)),
  }));
}
