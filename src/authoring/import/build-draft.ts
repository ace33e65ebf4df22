/**
 * The manifest of one feed registered by hand, from what import read (pure): the registry row and its retention
 * policy, the runbook's kafka_config.py entry, the topic and the warehouse table as they exist. Everything is
 * declared as it is, so that reconciling the manifest adopts the feed and changes no data; what import had to
 * guess is a note in the file.
 */
import type { FeedType } from '../../feeds/types.js';
import { columnFor, uniqueColumns } from '../column-names.js';
import type { FeedDraft, FieldDraft } from '../draft.js';
import type { Inferred } from '../infer.js';
import type { KafkaTopicEntry, MessageSchema } from './kafka-config.js';
import type { RunbookFeed } from './read-registry.js';
import { fieldFromColumn, keyFromIndexes, type TableRows } from './read-tables.js';
import type { TopicFacts } from './read-topics.js';

/** Everything known about one feed. */
export interface ImportFacts {
  feed: RunbookFeed;
  /** Its kafka_config.py entry (matched by topic), when --kafka-config was given and lists it. */
  entry: KafkaTopicEntry | null;
  schema: MessageSchema | null;
  topic: TopicFacts | null;
  /** The warehouse table, when one exists, and where its name came from. */
  table: { rows: TableRows; source: 'kafka_config' | 'registry' | 'convention' } | null;
  /** The warehouse table kafka_config.py or the registry names, when it does not exist. */
  missingTable: string | null;
  /** Fields, key and event time inferred from a sample of the topic (null: not sampled). */
  sampled: Inferred | null;
  /** The cluster default (config `kafka.defaultReplicationFactor`): not written when the topic has it. */
  defaultReplicationFactor: number;
}

/** The feed's draft, with notes on where each part came from. */
export function buildDraft(f: ImportFacts): FeedDraft {
  const notes = [
    `Imported by feedctl import from the registry row of ${f.feed.feedName} (registered by hand).`,
  ];
  const type = feedType(f, notes);
  const { fields, key, eventTime } = schema(f, notes);
  const warehouse = warehouseOf(f, notes);
  const lake = f.entry?.destination !== 'data_warehouse';
  const topic = topicOf(f, notes);
  notes.push('Review the notes and the plan: `feedctl reconcile --dry-run` should only adopt and register.');
  return {
    name: f.feed.feedName,
    type,
    notes,
    topic,
    fields: uniqueColumns(fields),
    key,
    ...(eventTime ? { eventTime } : {}),
    lake,
    ...(warehouse ? { warehouse } : {}),
    ...retentionOf(f, type, notes),
    enabled: f.entry ? f.entry.enabled && f.feed.enabled : f.feed.enabled,
  };
}

function feedType(f: ImportFacts, notes: string[]): FeedType {
  if (f.entry && f.entry.feedType !== f.feed.feedType) {
    notes.push(
      `TODO: kafka_config.py says ${f.entry.feedType}, the registry ${f.feed.feedType}: the registry's type is kept.`,
    );
  }
  return f.feed.feedType;
}

function topicOf(f: ImportFacts, notes: string[]): FeedDraft['topic'] {
  const t = f.topic;
  if (!t) {
    notes.push(`Topic ${f.feed.kafkaTopic} does not exist: feedctl will create it.`);
    return { name: f.feed.kafkaTopic };
  }
  notes.push(
    `feedctl's consumers read topic ${t.name} from the oldest offset Kafka still holds: stop the runbook's ` +
      'consumers first, and expect both sinks to receive again what Kafka still holds of what they already wrote.',
  );
  return {
    name: t.name,
    partitions: t.partitions,
    ...(t.replicationFactor !== f.defaultReplicationFactor ? { replicationFactor: t.replicationFactor } : {}),
    ...(Object.keys(t.configs).length > 0 ? { configs: t.configs } : {}),
    adopt: true,
  };
}

function schema(f: ImportFacts, notes: string[]): Pick<FeedDraft, 'fields' | 'key' | 'eventTime'> {
  const keyField = f.schema?.keyField ?? null;
  if (f.table) {
    const indexed = keyFromIndexes(f.table.rows.indexes);
    const key = indexed.length > 0 ? indexed : keyField ? [keyField] : [];
    const fields = f.table.rows.columns
      .map((c) => fieldFromColumn(c, key))
      .filter((x): x is FieldDraft => x !== null);
    notes.push(`Fields, types and key from the columns of table ${f.table.rows.name}.`);
    return { fields, key: key.filter((k) => fields.some((x) => x.name === k && !x.nullable)) };
  }
  if (f.sampled && f.sampled.fields.length > 0) {
    const s = f.sampled;
    notes.push(`Fields inferred from a sample of topic ${f.feed.kafkaTopic}: check the types.`, ...s.notes);
    const runbookKey = keyField && s.fields.some((x) => x.name === keyField && !x.nullable);
    return { fields: s.fields, key: runbookKey ? [keyField] : s.key, eventTime: s.eventTime };
  }
  return namedOnly(f, keyField, notes);
}

/** Fields known by name only (MESSAGE_SCHEMAS, else schema_definition): nullable strings to be typed by hand. */
function namedOnly(f: ImportFacts, keyField: string | null, notes: string[]) {
  const names = f.schema?.fields.length ? f.schema.fields : f.feed.schemaFields;
  if (names.length === 0) {
    notes.push(
      'TODO: no field is known (no table, no sample, no schema): declare the fields before validating.',
    );
    return { fields: [], key: [] };
  }
  const fields = names.map((name): FieldDraft => {
    const isKey = name === keyField;
    return {
      name,
      ...mapped(name),
      type: { kind: 'string', maxLength: isKey ? 255 : null },
      nullable: !isKey,
      note: 'TODO: type unknown (named in the runbook only)',
    };
  });
  notes.push('Field names from the runbook schema; their types are unknown: set them before merging.');
  return { fields, key: keyField && names.includes(keyField) ? [keyField] : [] };
}

/** The `column:` of a property that cannot be a column itself (see column-names.ts). */
function mapped(property: string): Pick<FieldDraft, 'column'> {
  const column = columnFor(property);
  return typeof column === 'string' ? { column } : {};
}

function warehouseOf(f: ImportFacts, notes: string[]): FeedDraft['warehouse'] {
  const wanted = f.entry ? f.entry.destination !== 'data_lake' : null;
  if (f.table && wanted !== false) {
    if (f.table.source === 'convention') {
      notes.push(
        `Warehouse table ${f.table.rows.name} found by the runbook's naming (fact_<feed>), not named anywhere: check it is this feed's.`,
      );
    }
    return { table: f.table.rows.name, adopt: true };
  }
  if (f.table)
    notes.push(`Table ${f.table.rows.name} exists but kafka_config.py sends this feed to the lake only.`);
  if (wanted && f.missingTable) {
    notes.push(`Warehouse table ${f.missingTable} does not exist: feedctl will create it.`);
    return { table: f.missingTable };
  }
  return undefined;
}

function retentionOf(f: ImportFacts, type: FeedType, notes: string[]): Pick<FeedDraft, 'retention'> {
  const p = f.feed.retention;
  const value = type === 'stream' ? p?.days : p?.versions;
  if (!p || value === null || value === undefined) {
    notes.push(
      `TODO: no retention ${type === 'stream' ? 'days' : 'versions'} in data_retention_policies: feedctl's default applies.`,
    );
    return {};
  }
  return {
    retention: {
      ...(type === 'stream' ? { days: value } : { versions: value }),
      ...(p.autoDelete ? {} : { autoDelete: false }),
    },
  };
}
