/**
 * The feeds registered by hand (the runbook's `INSERT INTO feed_registry` and `data_retention_policies`), read
 * with one query. Rows feedctl already manages (`managed_by = 'feedctl'`) are left out: they have a manifest.
 */
import type { Connection, RowDataPacket } from '../../clients/mysql.js';
import type { FeedType } from '../../feeds/types.js';

/** A registry row with its retention policy, in the runbook's columns. */
export interface RunbookFeed {
  feedName: string;
  feedType: FeedType;
  kafkaTopic: string;
  partitioningStrategy: string;
  compression: string | null;
  /** `schema_definition.fields` when it is a list of names (the runbook writes `{"fields": [...]}`). */
  schemaFields: string[];
  enabled: boolean;
  /** feedctl's own columns, set when someone filled them by hand. */
  destination: string | null;
  warehouseTable: string | null;
  retention: { days: number | null; versions: number | null; autoDelete: boolean } | null;
}

/**
 * `r.*`: a registry made by the runbook before `feedctl migrate up` has none of feedctl's columns (managed_by,
 * destination, warehouse_table); they are read when present.
 */
const SQL = `SELECT r.*, p.feed_name AS policy, p.retention_days, p.retention_versions, p.auto_delete
  FROM feed_registry r LEFT JOIN data_retention_policies p ON p.feed_name = r.feed_name ORDER BY r.feed_name`;

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The names listed in a `schema_definition` value (a JSON object or its text); [] when it lists none. */
export function schemaFieldNames(value: unknown): string[] {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      return [];
    }
  }
  const fields = (v as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields)) return [];
  return fields
    .map((f: unknown) => (typeof f === 'string' ? f : (f as { name?: unknown } | null)?.name))
    .filter((f): f is string => typeof f === 'string');
}

/** The feed of one joined row (pure). */
export function runbookFeed(r: Record<string, unknown>): RunbookFeed {
  return {
    feedName: String(r.feed_name),
    feedType: r.feed_type === 'table' ? 'table' : 'stream',
    kafkaTopic: String(r.kafka_topic),
    partitioningStrategy: String(r.partitioning_strategy),
    compression: str(r.compression),
    schemaFields: schemaFieldNames(r.schema_definition),
    enabled: r.enabled === null || r.enabled === undefined ? true : Boolean(r.enabled),
    destination: str(r.destination),
    warehouseTable: str(r.warehouse_table),
    retention:
      r.policy === null || r.policy === undefined
        ? null
        : {
            days: num(r.retention_days),
            versions: num(r.retention_versions),
            autoDelete: Boolean(r.auto_delete),
          },
  };
}

/** Every feed registered by hand, by name. */
export async function readRegistry(db: Connection): Promise<RunbookFeed[]> {
  const [rows] = await db.query<RowDataPacket[]>(SQL);
  return rows.filter((r) => r.managed_by !== 'feedctl').map((r) => runbookFeed(r));
}
