/**
 * Reads the status model from the control plane (a handful of queries, run together) and, when given, Kafka's log
 * offsets for lag computed now: the one function behind `feedctl status`, `GET /` and `GET /api/status`.
 */
import type { Connection, Pool } from '../clients/mysql.js';
import { optionalRows as optional } from '../control/optional.js';
import { readFeedStates } from '../control/feed-sync.js';
import { readStatus, type LogOffsetsOf } from '../control/status.js';
import { buildModel, type RegistryRow, type RetentionRow } from './feeds.js';
import type { StatusModel } from './model.js';

export type { LogOffsetsOf } from '../control/status.js';

const TS = (column: string) => `DATE_FORMAT(${column}, '%Y-%m-%dT%H:%i:%s.%fZ')`;

/** Retention deletions looked at for "last deleted" (the newest first; older feeds' show as none). */
const RETENTION_ROWS = 2000;

/** The whole model; with `logOffsets`, each running consumer's lag is the log end now minus its durable offset. */
export async function readStatusModel(
  db: Connection | Pool,
  logOffsets?: LogOffsetsOf,
): Promise<StatusModel> {
  const [status, syncs, registry, retention] = await Promise.all([
    readStatus(db, logOffsets),
    readFeedStates(db),
    readRegistry(db),
    readRetention(db),
  ]);
  return buildModel({ status, syncs, registry, retention, now: new Date() });
}

async function readRegistry(db: Connection | Pool): Promise<RegistryRow[]> {
  const rows = await optional(db, 'SELECT feed_name, feed_type, kafka_topic, enabled FROM feed_registry');
  return rows.map((r) => ({
    feed: String(r.feed_name),
    type: r.feed_type === 'table' ? 'table' : 'stream',
    topic: String(r.kafka_topic),
    enabled: Boolean(r.enabled),
  }));
}

async function readRetention(db: Connection | Pool): Promise<RetentionRow[]> {
  const [policies, deletions] = await Promise.all([
    optional(db, 'SELECT feed_name, retention_days, retention_versions FROM data_retention_policies'),
    optional(
      db,
      `SELECT resource_id, ${TS('occurred_at')} AS at FROM audit_log
       WHERE actor = 'retention' AND outcome = 'applied' ORDER BY id DESC LIMIT ${RETENTION_ROWS}`,
    ),
  ]);
  const last = new Map<string, { at: string; what: string }>();
  for (const d of deletions) {
    const id = String(d.resource_id);
    const feed = id.split(':', 1)[0] ?? id;
    if (!last.has(feed)) last.set(feed, { at: String(d.at), what: id.slice(feed.length + 1) });
  }
  return policies.map((p) => ({
    feed: String(p.feed_name),
    policy:
      p.retention_days !== null
        ? `${Number(p.retention_days)} days`
        : p.retention_versions !== null
          ? `${Number(p.retention_versions)} versions`
          : null,
    lastDeletedAt: last.get(String(p.feed_name))?.at ?? null,
    lastDeleted: last.get(String(p.feed_name))?.what ?? null,
  }));
}
