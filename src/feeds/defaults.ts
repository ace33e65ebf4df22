/**
 * Defaults and limits of the feedctl/v1 manifest format, in one place: the JSON Schema (schema.ts) publishes them
 * to editors and docs, the normalizer (normalize.ts) applies them.
 */
import { SNAPSHOT_HEADERS } from './types.js';

export const API_VERSION = 'feedctl/v1';
export const KIND = 'Feed';
/** `spec.schema.eventTime` value meaning "the Kafka record timestamp". */
export const KAFKA_TIMESTAMP = 'kafka-timestamp';
/** Appended to the topic name to derive the dead-letter topic. */
export const DEAD_LETTER_SUFFIX = '-dlq';

const MIB = 1024 * 1024;

export const DEFAULTS = {
  enabled: true,
  topic: { partitions: 3, replicationFactor: null, adopt: false },
  field: { nullable: false, scale: 0, maxLength: null },
  key: [] as string[],
  eventTime: KAFKA_TIMESTAMP,
  invalidUnicode: 'reject',
  lake: {
    enabled: true,
    compression: 'snappy',
    flush: { maxRows: 100_000, maxBytes: 64 * MIB, idleSeconds: 5 },
  },
  warehouse: { enabled: false, adopt: false },
  retention: { days: 90, versions: 7, autoDelete: true },
  deadLetter: { enabled: true },
  snapshot: { versionHeader: SNAPSHOT_HEADERS.version, seal: 'marker' },
} as const;

/** Inclusive [min, max] bounds of the numeric settings. */
export const LIMITS = {
  partitions: [1, 10_000],
  replicationFactor: [1, 32_767],
  fields: [1, 1000],
  maxLength: [1, 16_777_215],
  flushMaxRows: [1, 10_000_000],
  flushMaxBytes: [MIB, 1024 * MIB],
  flushIdleSeconds: [1, 3600],
  retentionDays: [1, 36_500],
  retentionVersions: [1, 10_000],
  snapshotIdleSeconds: [1, 86_400],
} as const;

/** Kafka record header names in `spec.snapshot.version.header`: printable ASCII without spaces. */
export const HEADER_NAME = { pattern: /^[!-~]*$/, maxLength: 249 } as const;
