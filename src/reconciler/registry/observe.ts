/** Observes the registry and retention policies: one query each, whatever the number of feeds. Read-only. */
import type { Connection, RowDataPacket } from '../../clients/mysql.js';
import type { RegistryRow, RetentionRow } from './desired.js';

/** A feed_registry row as stored. `managedBy` is 'feedctl' for rows reconciled from a manifest. */
export interface ObservedRegistryRow extends RegistryRow {
  managedBy: string | null;
  generation: number;
}

export interface ObservedRegistry {
  registry: Map<string, ObservedRegistryRow>;
  retention: Map<string, RetentionRow>;
}

const REGISTRY_SQL = `SELECT feed_name, feed_type, source_type, kafka_topic, partitioning_strategy, storage_format,
  compression, destination, warehouse_table, storage_mode, dead_letter_topic, enabled, spec_hash, manifest_path,
  managed_by, generation FROM feed_registry`;

const RETENTION_SQL = `SELECT feed_name, feed_type, retention_days, retention_versions, auto_delete
  FROM data_retention_policies`;

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** `exists`: false when the control-plane tables are not migrated yet (dry-run on a fresh database). */
export async function observeRegistry(db: Connection, exists: boolean): Promise<ObservedRegistry> {
  const out: ObservedRegistry = { registry: new Map(), retention: new Map() };
  if (!exists) return out;
  const [[reg], [ret]] = await Promise.all([
    db.query<RowDataPacket[]>(REGISTRY_SQL),
    db.query<RowDataPacket[]>(RETENTION_SQL),
  ]);
  for (const r of reg) out.registry.set(String(r.feed_name), registryFromRow(r));
  for (const r of ret) {
    out.retention.set(String(r.feed_name), {
      feedName: String(r.feed_name),
      feedType: r.feed_type as RetentionRow['feedType'],
      retentionDays: num(r.retention_days),
      retentionVersions: num(r.retention_versions),
      autoDelete: Boolean(r.auto_delete),
    });
  }
  return out;
}

function registryFromRow(r: RowDataPacket): ObservedRegistryRow {
  return {
    feedName: String(r.feed_name),
    feedType: r.feed_type as RegistryRow['feedType'],
    sourceType: r.source_type as RegistryRow['sourceType'],
    kafkaTopic: String(r.kafka_topic),
    partitioningStrategy: r.partitioning_strategy as RegistryRow['partitioningStrategy'],
    storageFormat: r.storage_format as RegistryRow['storageFormat'],
    compression: String(r.compression),
    destination: r.destination as RegistryRow['destination'],
    warehouseTable: str(r.warehouse_table),
    storageMode: r.storage_mode as RegistryRow['storageMode'],
    deadLetterTopic: str(r.dead_letter_topic),
    enabled: Boolean(r.enabled),
    specHash: str(r.spec_hash) ?? '',
    manifestPath: str(r.manifest_path) ?? '',
    managedBy: str(r.managed_by),
    generation: Number(r.generation),
  };
}
