/**
 * Schema-valid manifest data → {@link FeedSpec}: every default applied, derived names filled in (topic from the
 * feed name, dead-letter topic from the topic), configs as strings with sorted keys, roles sorted and unique.
 * Pure; semantic checks (semantic.ts) run on its result.
 */
import { DEAD_LETTER_SUFFIX, DEFAULTS, KAFKA_TIMESTAMP } from './defaults.js';
import type {
  FeedSpec,
  FieldCollation,
  FieldSpec,
  FieldType,
  InvalidUnicode,
  LakeCompression,
  SchemaSpec,
  SnapshotSpec,
} from './types.js';

/** A field as written (schema-valid). */
interface RawField {
  name: string;
  column?: string;
  type: FieldType['kind'];
  maxLength?: number;
  precision?: number;
  scale?: number;
  nullable?: boolean;
  description?: string;
  collation?: FieldCollation;
}

/** A manifest as written, after schema validation: shapes are right, optional parts may be absent. */
export interface RawManifest {
  metadata: { name: string; owner?: string; description?: string; labels?: Record<string, string> };
  spec: {
    type: FeedSpec['type'];
    enabled?: boolean;
    topic?: {
      name?: string;
      partitions?: number;
      replicationFactor?: number | null;
      configs?: Record<string, string | number | boolean>;
      adopt?: boolean;
    };
    schema: {
      fields: RawField[];
      key?: string | string[];
      eventTime?: string;
      invalidUnicode?: InvalidUnicode;
    };
    destinations?: {
      lake?: {
        enabled?: boolean;
        compression?: LakeCompression;
        flush?: { maxRows?: number; maxBytes?: number; idleSeconds?: number };
      };
      warehouse?: { enabled?: boolean; table?: string; adopt?: boolean };
    };
    retention?: { days?: number; versions?: number; autoDelete?: boolean };
    access?: { roles?: string[] };
    deadLetter?: { enabled?: boolean; topic?: string };
    snapshot?: RawSnapshot;
  };
}

/** `spec.snapshot` as written: the schema allows exactly one of `header` / `field`. */
export interface RawSnapshot {
  version?: { header?: string; field?: string };
  seal?: 'marker' | 'nextVersion' | { idleSeconds: number };
}

/** The normalized desired state of a schema-valid manifest. */
export function normalize(raw: RawManifest, manifestPath: string): FeedSpec {
  const { metadata: m, spec: s } = raw;
  const t = s.topic ?? {};
  const topicName = t.name ?? m.name;
  const d = DEFAULTS;
  return {
    name: m.name,
    manifestPath,
    metadata: {
      owner: m.owner ?? null,
      description: m.description ?? null,
      labels: sortKeys(m.labels ?? {}),
    },
    type: s.type,
    enabled: s.enabled ?? d.enabled,
    topic: {
      name: topicName,
      partitions: t.partitions ?? d.topic.partitions,
      replicationFactor: t.replicationFactor ?? d.topic.replicationFactor,
      configs: sortKeys(Object.fromEntries(Object.entries(t.configs ?? {}).map(([k, v]) => [k, String(v)]))),
      adopt: t.adopt ?? d.topic.adopt,
    },
    schema: normalizeSchema(s.schema),
    destinations: normalizeDestinations(s.destinations ?? {}),
    retention: {
      days: s.type === 'stream' ? (s.retention?.days ?? d.retention.days) : null,
      versions: s.type === 'table' ? (s.retention?.versions ?? d.retention.versions) : null,
      autoDelete: s.retention?.autoDelete ?? d.retention.autoDelete,
    },
    access: { roles: [...new Set(s.access?.roles ?? [])].sort() },
    deadLetter: {
      enabled: s.deadLetter?.enabled ?? d.deadLetter.enabled,
      topic: s.deadLetter?.topic ?? `${topicName}${DEAD_LETTER_SUFFIX}`,
    },
    snapshot: s.type === 'table' ? normalizeSnapshot(s.snapshot ?? {}, columnOf(s.schema.fields)) : null,
  };
}

/**
 * The manifest names fields by their message property (`name`); everything downstream names them by column. Maps a
 * property to its field's column; an unknown name is kept as written, for the semantic checks to report.
 */
function columnOf(fields: RawField[]): (name: string) => string {
  const columns = new Map(fields.map((f) => [f.name, f.column ?? f.name]));
  return (name) => columns.get(name) ?? name;
}

/** The snapshot contract of a table feed, defaults applied (streams have none: see semantic-snapshot.ts). */
function normalizeSnapshot(raw: RawSnapshot, column: (name: string) => string): SnapshotSpec {
  const v = raw.version ?? {};
  const seal = raw.seal ?? DEFAULTS.snapshot.seal;
  return {
    version:
      v.field === undefined
        ? { source: 'header', name: v.header ?? DEFAULTS.snapshot.versionHeader }
        : { source: 'field', name: column(v.field) },
    seal: typeof seal === 'string' ? { mode: seal } : { mode: 'idle', idleSeconds: seal.idleSeconds },
  };
}

function normalizeSchema(raw: RawManifest['spec']['schema']): SchemaSpec {
  const key =
    raw.key === undefined ? [...DEFAULTS.key] : typeof raw.key === 'string' ? [raw.key] : [...raw.key];
  const eventTime = raw.eventTime ?? DEFAULTS.eventTime;
  const column = columnOf(raw.fields);
  return {
    fields: raw.fields.map(normalizeField),
    key: key.map(column),
    eventTime:
      eventTime === KAFKA_TIMESTAMP ? { source: 'kafka' } : { source: 'field', field: column(eventTime) },
    invalidUnicode: raw.invalidUnicode ?? DEFAULTS.invalidUnicode,
  };
}

function normalizeField(f: RawField): FieldSpec {
  return {
    name: f.column ?? f.name,
    property: f.name,
    type: fieldType(f),
    nullable: f.nullable ?? DEFAULTS.field.nullable,
    description: f.description ?? null,
    collation: f.collation ?? null,
  };
}

function fieldType(f: RawField): FieldType {
  switch (f.type) {
    case 'string':
      return { kind: 'string', maxLength: f.maxLength ?? DEFAULTS.field.maxLength };
    case 'decimal':
      // The schema requires a precision for decimals.
      return { kind: 'decimal', precision: f.precision ?? 0, scale: f.scale ?? DEFAULTS.field.scale };
    default:
      return { kind: f.type };
  }
}

function normalizeDestinations(
  raw: NonNullable<RawManifest['spec']['destinations']>,
): FeedSpec['destinations'] {
  const { lake: l, warehouse: w } = DEFAULTS;
  const flush = raw.lake?.flush ?? {};
  return {
    lake: {
      enabled: raw.lake?.enabled ?? l.enabled,
      compression: raw.lake?.compression ?? l.compression,
      flush: {
        maxRows: flush.maxRows ?? l.flush.maxRows,
        maxBytes: flush.maxBytes ?? l.flush.maxBytes,
        idleSeconds: flush.idleSeconds ?? l.flush.idleSeconds,
      },
    },
    warehouse: {
      enabled: raw.warehouse?.enabled ?? w.enabled,
      table: raw.warehouse?.table ?? null,
      adopt: raw.warehouse?.adopt ?? w.adopt,
    },
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
