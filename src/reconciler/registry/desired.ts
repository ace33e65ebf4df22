/**
 * Desired control-plane rows of each feed (pure): its `feed_registry` row and its `data_retention_policies` row,
 * in the seed runbook's columns plus what reconciling needs. Field names are the rows' columns in camelCase.
 */
import type { FeedSpec } from '../../feeds/types.js';
import { specHash } from '../../feeds/runtime-spec.js';

/** The managed columns of a feed_registry row. Invariant: `specHash` is specHash(feed). */
export interface RegistryRow {
  feedName: string;
  feedType: 'stream' | 'table';
  sourceType: 'kafka';
  kafkaTopic: string;
  partitioningStrategy: 'date' | 'version';
  storageFormat: 'parquet';
  compression: string;
  destination: 'data_lake' | 'data_warehouse' | 'both';
  warehouseTable: string | null;
  storageMode: 'append' | 'overwrite';
  deadLetterTopic: string | null;
  enabled: boolean;
  specHash: string;
  manifestPath: string;
}

/** The managed columns of a data_retention_policies row: days for streams, versions for tables (the seed's rule). */
export interface RetentionRow {
  feedName: string;
  feedType: 'stream' | 'table';
  retentionDays: number | null;
  retentionVersions: number | null;
  autoDelete: boolean;
}

export interface DesiredRegistry {
  registry: RegistryRow[];
  retention: RetentionRow[];
}

/** The seed's `destination`. The loader guarantees at least one destination is on. */
export function destinationOf(f: FeedSpec): RegistryRow['destination'] {
  const { lake, warehouse } = f.destinations;
  if (lake.enabled && warehouse.enabled) return 'both';
  return warehouse.enabled ? 'data_warehouse' : 'data_lake';
}

export function registryRow(f: FeedSpec): RegistryRow {
  return {
    feedName: f.name,
    feedType: f.type,
    sourceType: 'kafka',
    kafkaTopic: f.topic.name,
    partitioningStrategy: f.type === 'stream' ? 'date' : 'version',
    storageFormat: 'parquet',
    compression: f.destinations.lake.compression,
    destination: destinationOf(f),
    warehouseTable: f.destinations.warehouse.enabled ? f.destinations.warehouse.table : null,
    storageMode: f.type === 'stream' ? 'append' : 'overwrite',
    deadLetterTopic: f.deadLetter.enabled ? f.deadLetter.topic : null,
    enabled: f.enabled,
    specHash: specHash(f),
    manifestPath: f.manifestPath,
  };
}

export function retentionRow(f: FeedSpec): RetentionRow {
  return {
    feedName: f.name,
    feedType: f.type,
    retentionDays: f.retention.days,
    retentionVersions: f.retention.versions,
    autoDelete: f.retention.autoDelete,
  };
}

/** The seed's `schema_definition` JSON, richer: typed fields, key and event time. */
export function schemaDefinition(f: FeedSpec) {
  return {
    fields: f.schema.fields.map((x) => ({
      name: x.name,
      ...(x.property === x.name ? {} : { property: x.property }),
      ...x.type,
      nullable: x.nullable,
    })),
    key_field: f.schema.key,
    event_time: f.schema.eventTime.source === 'field' ? f.schema.eventTime.field : 'kafka-timestamp',
  };
}

export function desiredRegistry(feeds: FeedSpec[]): DesiredRegistry {
  return { registry: feeds.map(registryRow), retention: feeds.map(retentionRow) };
}
