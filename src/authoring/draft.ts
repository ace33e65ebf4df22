/**
 * A feed manifest before it is written: what `feedctl new` (from flags or a topic sample) and `feedctl import`
 * (from an installation made by the runbook) know of a feed, with the notes a person should read, and its rendering
 * as a commented feedctl/v1 YAML manifest. Pure: no I/O.
 */
import { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { API_VERSION, KIND } from '../feeds/defaults.js';
import type { FeedType, FieldCollation, FieldType } from '../feeds/types.js';

/** One field: a message property, where it lands when that is another column, its type and a note. */
export interface FieldDraft {
  /** The message's JSON property. */
  name: string;
  /** The warehouse and lake column, when the property cannot be one (a feedctl column, a reserved word). */
  column?: string;
  type: FieldType;
  nullable: boolean;
  /** Strings only: the warehouse comparison, when it must differ from the default (an adopted table's). */
  collation?: FieldCollation;
  /** Written as a comment beside the field: what could not be inferred, why it is mapped. */
  note?: string;
}

export interface FeedDraft {
  name: string;
  type: FeedType;
  owner?: string;
  description?: string;
  /** Comment lines at the top of the file (how the draft was made, what to check). */
  notes: string[];
  topic: {
    name: string;
    partitions?: number;
    replicationFactor?: number;
    configs?: Record<string, string>;
    adopt?: boolean;
    /** Written as a comment above `adopt` (why feedctl takes the topic over). */
    adoptNote?: string;
  };
  fields: FieldDraft[];
  /** Key fields, by `name` (the message property). */
  key: string[];
  /** A timestamp or date field's name; absent: the Kafka record timestamp. */
  eventTime?: string;
  lake: boolean;
  warehouse?: { table: string; adopt?: boolean };
  retention?: { days?: number; versions?: number; autoDelete?: boolean };
  enabled?: boolean;
}

const SCHEMA_LINE = ' yaml-language-server: $schema=../schemas/feed.schema.json';

/** The draft as a feedctl/v1 manifest, with its notes as comments. */
export function renderManifest(d: FeedDraft): string {
  const doc = new Document({
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: metadata(d),
    spec: spec(d),
  });
  doc.commentBefore = [SCHEMA_LINE, ...d.notes.map((n) => ` ${n}`)].join('\n');
  const fields = doc.getIn(['spec', 'schema', 'fields']) as YAMLSeq<YAMLMap>;
  fields.items.forEach((item, i) => {
    item.flow = true;
    const note = d.fields[i]?.note;
    if (note) item.comment = ` ${note}`;
  });
  const key = doc.getIn(['spec', 'schema', 'key']);
  if (key instanceof YAMLSeq) key.flow = true;
  if (d.topic.adopt && d.topic.adoptNote)
    commentKey(doc.getIn(['spec', 'topic']), 'adopt', d.topic.adoptNote);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Puts `text` (one or more lines) as a comment above `key` of `map`. */
function commentKey(map: unknown, key: string, text: string): void {
  if (!(map instanceof YAMLMap)) return;
  const pair = map.items.find((p) => p.key instanceof Scalar && p.key.value === key);
  if (pair?.key instanceof Scalar)
    pair.key.commentBefore = text
      .split('\n')
      .map((l) => ` ${l}`)
      .join('\n');
}

function metadata(d: FeedDraft): Record<string, unknown> {
  return {
    name: d.name,
    ...(d.owner ? { owner: d.owner } : {}),
    ...(d.description ? { description: d.description } : {}),
  };
}

function spec(d: FeedDraft): Record<string, unknown> {
  const destinations = {
    ...(d.lake ? {} : { lake: { enabled: false } }),
    ...(d.warehouse ? { warehouse: { enabled: true, ...d.warehouse } } : {}),
  };
  return {
    type: d.type,
    ...(d.enabled === false ? { enabled: false } : {}),
    ...nonEmpty('topic', topic(d)),
    schema: {
      fields: d.fields.map(field),
      ...(d.key.length > 0 ? { key: d.key } : {}),
      ...(d.eventTime ? { eventTime: d.eventTime } : {}),
    },
    ...nonEmpty('destinations', destinations),
    ...nonEmpty('retention', d.retention ?? {}),
  };
}

function nonEmpty(key: string, value: Record<string, unknown>): Record<string, unknown> {
  return Object.keys(value).length > 0 ? { [key]: value } : {};
}

function topic(d: FeedDraft): Record<string, unknown> {
  const t = d.topic;
  return {
    ...(t.name !== d.name ? { name: t.name } : {}),
    ...(t.partitions !== undefined ? { partitions: t.partitions } : {}),
    ...(t.replicationFactor !== undefined ? { replicationFactor: t.replicationFactor } : {}),
    ...(t.configs && Object.keys(t.configs).length > 0 ? { configs: t.configs } : {}),
    ...(t.adopt ? { adopt: true } : {}),
  };
}

function field(f: FieldDraft): Record<string, unknown> {
  const t = f.type;
  return {
    name: f.name,
    ...(f.column ? { column: f.column } : {}),
    type: t.kind,
    ...(t.kind === 'string' && t.maxLength !== null ? { maxLength: t.maxLength } : {}),
    ...(t.kind === 'decimal' ? { precision: t.precision, scale: t.scale } : {}),
    ...(f.nullable ? { nullable: true } : {}),
    ...(t.kind === 'string' && f.collation ? { collation: f.collation } : {}),
  };
}
