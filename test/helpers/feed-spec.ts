/**
 * FeedSpec values for tests that need a normalized feed without going through YAML: a small valid stream feed with
 * every default applied, overridable field by field.
 */
import type {
  FeedSpec,
  FieldCollation,
  FieldSpec,
  FieldType,
  InvalidUnicode,
  SnapshotSpec,
} from '../../src/feeds/types.js';

/** A field; non-nullable unless said otherwise; the default collation. */
export function field(
  name: string,
  type: FieldType,
  nullable = false,
  collation: FieldCollation | null = null,
): FieldSpec {
  return { name, property: name, type, nullable, description: null, collation };
}

/** The fields of the seed's customer_events feed, with one of each common type. */
export const CUSTOMER_EVENT_FIELDS: FieldSpec[] = [
  field('event_id', { kind: 'string', maxLength: 64 }),
  field('customer_id', { kind: 'string', maxLength: 64 }),
  field('event', { kind: 'string', maxLength: 32 }),
  field('amount', { kind: 'decimal', precision: 15, scale: 2 }, true),
  field('quantity', { kind: 'int' }, true),
  field('occurred_at', { kind: 'timestamp' }),
];

export interface FeedSpecOverrides {
  name?: string;
  topic?: string;
  fields?: FieldSpec[];
  key?: string[];
  eventTimeField?: string | null;
  table?: string | null;
  lake?: boolean;
  deadLetterTopic?: string | null;
  type?: FeedSpec['type'];
  partitions?: number;
  invalidUnicode?: InvalidUnicode;
  snapshot?: SnapshotSpec;
}

/** A normalized stream feed; `table: null` turns the warehouse off, `deadLetterTopic: null` the DLQ. */
export function feedSpec(o: FeedSpecOverrides = {}): FeedSpec {
  const name = o.name ?? 'customer_events';
  const topic = o.topic ?? name;
  const table = o.table === undefined ? `fact_${name}` : o.table;
  const eventTime = o.eventTimeField === undefined ? 'occurred_at' : o.eventTimeField;
  const type = o.type ?? 'stream';
  return {
    name,
    manifestPath: `feeds/${name}.yaml`,
    metadata: { owner: 'tests', description: null, labels: {} },
    type,
    enabled: true,
    topic: { name: topic, partitions: o.partitions ?? 3, replicationFactor: null, configs: {}, adopt: false },
    schema: {
      fields: o.fields ?? CUSTOMER_EVENT_FIELDS,
      key: o.key ?? ['event_id'],
      eventTime: eventTime === null ? { source: 'kafka' } : { source: 'field', field: eventTime },
      invalidUnicode: o.invalidUnicode ?? 'reject',
    },
    destinations: {
      lake: {
        enabled: o.lake ?? true,
        compression: 'snappy',
        flush: { maxRows: 100_000, maxBytes: 64 * 1024 * 1024, idleSeconds: 5 },
      },
      warehouse: { enabled: table !== null, table, adopt: false },
    },
    retention:
      type === 'stream'
        ? { days: 90, versions: null, autoDelete: true }
        : { days: null, versions: 7, autoDelete: true },
    access: { roles: [] },
    deadLetter:
      o.deadLetterTopic === null
        ? { enabled: false, topic: `${topic}-dlq` }
        : { enabled: true, topic: o.deadLetterTopic ?? `${topic}-dlq` },
    snapshot:
      type === 'table'
        ? (o.snapshot ?? {
            version: { source: 'header', name: 'snapshot_version' },
            seal: { mode: 'marker' },
          })
        : null,
  };
}
