/**
 * Semantic checks of `spec.schema` beyond the JSON Schema: field names against MySQL (reserved words, feedctl's
 * own columns, case-insensitive duplicates), decimal scale, key fields (exist, non-nullable, indexable, within
 * InnoDB's index-key size), the event-time field, and the warehouse row size.
 */
import { HIVE_PARTITION_COLUMNS, SYSTEM_COLUMNS } from '../shape.js';
import { issueAt, type Issue, type Path } from './issue.js';
import { KEY_FIELD_MAX_LENGTH, nameProblem } from './names.js';
import { isReservedWord } from './reserved-words.js';
import {
  MAX_INDEX_KEY_BYTES,
  MAX_ROW_BYTES,
  VARCHAR_MAX_CHARS,
  indexKeyBytes,
  rowBytes,
} from './sql-types.js';
import type { FeedSpec, FieldSpec } from './types.js';

const FIELDS: Path = ['spec', 'schema', 'fields'];
const SYSTEM_NAMES = new Set<string>(Object.values(SYSTEM_COLUMNS));
/** Index-key bytes of the snapshot columns in the unique key: snapshot_date (DATE) + snapshot_version (INT). */
const SNAPSHOT_KEY_BYTES = 3 + 4;
/** Declared row bytes of the system columns (see desiredTable): id, snapshot_date/version, lineage, timestamps. */
const SYSTEM_ROW_BYTES = 8 + 3 + 4 + 7 + 4 + 8 + 4 + 4;

/** Issues of the feed's fields, key and event time. `keyPaths[i]` is where key entry i is written. */
export function schemaChecks(feed: FeedSpec, keyPaths: Path[]): Issue[] {
  return [
    ...fieldChecks(feed.schema.fields),
    ...keyChecks(feed, keyPaths),
    ...eventTimeChecks(feed),
    ...rowSize(feed),
  ];
}

function fieldChecks(fields: FieldSpec[]): Issue[] {
  const columns = new Map<string, number>();
  const properties = new Map<string, number>();
  return fields.flatMap((f, i) => {
    const mapped = f.property !== f.name;
    const label = `spec.schema.fields[${i}].${mapped ? 'column' : 'name'} "${f.name}"`;
    const first = firstIndex(columns, f.name.toLowerCase(), i);
    const problem = fieldNameProblem(f.name, mapped) ?? (first === i ? null : duplicate(fields, first));
    const issues = problem
      ? [issueAt([...FIELDS, i, mapped ? 'column' : 'name'], `${label} ${problem}`)]
      : [];
    const sameProperty = firstIndex(properties, f.property, i);
    if (mapped && sameProperty !== i) {
      const message = `spec.schema.fields[${i}].name "${f.property}" is the property of field ${sameProperty} too: a property fills one field`;
      issues.push(issueAt([...FIELDS, i, 'name'], message));
    }
    if (f.type.kind === 'decimal' && f.type.scale > f.type.precision) {
      const message = `spec.schema.fields[${i}].scale ${f.type.scale} must not exceed its precision ${f.type.precision}`;
      issues.push(issueAt([...FIELDS, i, 'scale'], message));
    }
    return issues;
  });
}

/** The first index seen for `key`, recording `i` when it is the first. */
function firstIndex(seen: Map<string, number>, key: string, i: number): number {
  const first = seen.get(key) ?? i;
  seen.set(key, first);
  return first;
}

function duplicate(fields: FieldSpec[], first: number): string {
  return `duplicates field ${first} ("${fields[first]?.name}"): MySQL column names are case-insensitive`;
}

/** The way out when a property cannot be a column; another column when the column was chosen (`column:`). */
function mapHint(name: string, mapped: boolean): string {
  if (mapped) return 'choose another column';
  const column = `source_${name.replace(/^_+/, '').toLowerCase()}`;
  return `keep the property and store it in another column: { name: ${name}, column: ${column} }`;
}

/** Why a valid identifier still cannot be a field's column (one rule for the validator and for authoring). */
export type ColumnClash = 'system' | 'lineage' | 'partition' | 'reserved';

export function columnClash(name: string): ColumnClash | null {
  const lower = name.toLowerCase();
  if (SYSTEM_NAMES.has(lower)) return 'system';
  if (name.startsWith('_')) return 'lineage';
  if (HIVE_PARTITION_COLUMNS.includes(lower)) return 'partition';
  return isReservedWord(name) ? 'reserved' : null;
}

const CLASH_PROBLEM: Record<ColumnClash, string> = {
  system: `is a column feedctl adds to every warehouse table (${[...SYSTEM_NAMES].join(', ')})`,
  lineage: "starts with '_', which is reserved for feedctl's lineage columns",
  partition: `is a partition column of the lake (${HIVE_PARTITION_COLUMNS.join(', ')}): readers of the Parquet files would see two columns of that name`,
  reserved: 'is a MySQL reserved word: analysts would have to quote it in every query',
};

function fieldNameProblem(name: string, mapped: boolean): string | null {
  const clash = columnClash(name);
  return clash ? `${CLASH_PROBLEM[clash]}; ${mapHint(name, mapped)}` : nameProblem('column', name);
}

function keyChecks(feed: FeedSpec, keyPaths: Path[]): Issue[] {
  const { key, fields } = feed.schema;
  const issues: Issue[] = [];
  if (key.length === 0 && feed.destinations.warehouse.enabled) {
    const message =
      'spec.schema.key is required when the warehouse is enabled: the table upserts on (key, snapshot_date, snapshot_version)';
    issues.push(
      issueAt(
        [
          ['spec', 'schema', 'key'],
          ['spec', 'schema'],
        ],
        message,
        'key',
      ),
    );
  }
  let bytes = SNAPSHOT_KEY_BYTES;
  key.forEach((name, i) => {
    const at = keyPaths[i] ?? ['spec', 'schema', 'key'];
    const field = fields.find((f) => f.name === name);
    const problem = key.indexOf(name) < i ? 'is listed twice' : keyFieldProblem(name, field);
    if (problem) issues.push(issueAt(at, `spec.schema.key field "${field?.property ?? name}" ${problem}`));
    if (field) bytes += indexKeyBytes(field.type) ?? 0;
  });
  if (bytes > MAX_INDEX_KEY_BYTES) {
    const message = `spec.schema.key is too wide for a MySQL index: ${bytes} bytes with snapshot_date and snapshot_version, at most ${MAX_INDEX_KEY_BYTES} (strings take 4 bytes per character); shorten the key fields' maxLength`;
    issues.push(issueAt(['spec', 'schema', 'key'], message));
  }
  return issues;
}

function keyFieldProblem(name: string, field: FieldSpec | undefined): string | null {
  if (!field) return 'is not a field of spec.schema.fields';
  if (field.nullable) return 'is nullable: key fields must be non-nullable (nullable: false)';
  if (field.type.kind === 'json') return 'is a json field, which MySQL cannot index';
  if (field.type.kind === 'string' && (field.type.maxLength ?? Infinity) > VARCHAR_MAX_CHARS) {
    return `is a string without a maxLength of at most ${VARCHAR_MAX_CHARS}: key fields must be indexable (set maxLength)`;
  }
  if (name.length > KEY_FIELD_MAX_LENGTH) {
    return `is longer than ${KEY_FIELD_MAX_LENGTH} characters: its index idx_${name} would exceed MySQL's 64`;
  }
  return null;
}

function eventTimeChecks(feed: FeedSpec): Issue[] {
  const source = feed.schema.eventTime;
  if (source.source === 'kafka') return [];
  const field = feed.schema.fields.find((f) => f.name === source.field);
  const problem = !field
    ? 'is not a field of spec.schema.fields (or write kafka-timestamp for the record timestamp)'
    : field.type.kind !== 'timestamp' && field.type.kind !== 'date'
      ? `is a ${field.type.kind} field: the event time must be a timestamp or date field`
      : field.nullable
        ? 'is nullable: the event-time field must be non-nullable'
        : null;
  return problem
    ? [
        issueAt(
          ['spec', 'schema', 'eventTime'],
          `spec.schema.eventTime "${field?.property ?? source.field}" ${problem}`,
        ),
      ]
    : [];
}

function rowSize(feed: FeedSpec): Issue[] {
  if (!feed.destinations.warehouse.enabled) return [];
  const bytes = feed.schema.fields.reduce((sum, f) => sum + rowBytes(f.type), SYSTEM_ROW_BYTES);
  if (bytes <= MAX_ROW_BYTES) return [];
  const message = `spec.schema.fields make a warehouse row of ${bytes} bytes, over MySQL's ${MAX_ROW_BYTES}: lower some string maxLength (over ${VARCHAR_MAX_CHARS} characters they are stored as TEXT)`;
  return [issueAt(FIELDS, message, 'key')];
}
