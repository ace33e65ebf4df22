/**
 * Fields of a feed inferred from a sample of its messages (pure): `feedctl new --from-topic` and `feedctl import`
 * (a topic without a warehouse table). Each property's type comes from infer-value.ts; a property missing or null
 * in some messages is nullable; one that cannot be a column gets a `column` (column-names.ts). The key and the
 * event time are guessed from names. Everything guessed or uncertain is said in a note, written as a comment.
 */
import { isLosslessNumber, parse } from 'lossless-json';
import type { FieldDraft } from './draft.js';
import { columnFor, columnProblem, uniqueColumns } from './column-names.js';
import { classify, widen, type ValueClass } from './infer-value.js';

/** The inferred fields, the suggested key and event time, and the notes for the top of the manifest. */
export interface Inferred {
  fields: FieldDraft[];
  /** Suggested key (property names); empty when no field fits. */
  key: string[];
  /** Suggested event-time field; undefined: the Kafka record timestamp. */
  eventTime?: string;
  notes: string[];
}

export interface InferOptions {
  /** The feed's name: `<feed>_id` is preferred as its key after `id`. */
  feed?: string;
}

/** Event-time field names, most likely first. */
const EVENT_TIME_NAMES = [
  'event_time',
  'occurred_at',
  'timestamp',
  'event_timestamp',
  'ts',
  'time',
  'created_at',
  'updated_at',
];

/** Parses message values (Buffers or strings) with lossless-json; a value that is not JSON becomes undefined. */
export function parseValues(raw: ReadonlyArray<Buffer | string | null>): unknown[] {
  return raw.map((r) => {
    if (r === null) return undefined;
    try {
      const text = typeof r === 'string' ? r : r.toString('utf8');
      // A leading byte order mark is allowed, as the runtime's decoder allows it (RFC 8259 §8.1).
      return parse(text.replace(/^\uFEFF/, '')) as unknown;
    } catch {
      return undefined;
    }
  });
}

interface Seen {
  present: number;
  classes: ValueClass[];
}

/** Fields, key and event time inferred from lossless-parsed message values. */
export function inferFields(values: readonly unknown[], opts: InferOptions = {}): Inferred {
  const objects = values.filter(isObject);
  const notes: string[] = [];
  const skipped = values.length - objects.length;
  if (skipped > 0)
    notes.push(`${skipped} of ${values.length} sampled messages were not JSON objects and were ignored.`);
  if (objects.length === 0) {
    notes.push('No JSON object in the sample: no field could be inferred.');
    return { fields: [], key: [], notes };
  }
  const fields = uniqueColumns(
    [...observe(objects)].map(([name, seen]) => fieldOf(name, seen, objects.length)),
  );
  const key = suggestKey(fields, opts.feed);
  notes.push(
    key.length > 0
      ? `Key guessed: ${key[0]} (present, non-null, a string or an integer in every sampled message). Check it.`
      : 'No key guessed (no id or <name>_id field present in every message): set spec.schema.key if needed.',
  );
  const eventTime = suggestEventTime(fields);
  notes.push(
    eventTime
      ? `Event time guessed: ${eventTime}. Check it.`
      : 'No timestamp field named like an event time: the event time is the Kafka record timestamp.',
  );
  return { fields, key, ...(eventTime ? { eventTime } : {}), notes };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isLosslessNumber(v);
}

/** Every property, in order of first appearance, with its non-null values' classes. */
function observe(objects: Array<Record<string, unknown>>): Map<string, Seen> {
  const seen = new Map<string, Seen>();
  for (const o of objects) {
    for (const [name, v] of Object.entries(o)) {
      const s = seen.get(name) ?? { present: 0, classes: [] };
      seen.set(name, s);
      if (v === null || v === undefined) continue;
      s.present++;
      s.classes.push(classify(v));
    }
  }
  return seen;
}

function fieldOf(name: string, seen: Seen, total: number): FieldDraft {
  const notes: string[] = [];
  let field: FieldDraft;
  if (seen.classes.length === 0) {
    field = { name, type: { kind: 'string', maxLength: 255 }, nullable: true };
    notes.push('null in every sampled message: type unknown, typed string');
  } else {
    const w = widen(seen.classes);
    field = { name, type: w.type, nullable: seen.present < total };
    if (w.note) notes.push(w.note);
  }
  const column = columnFor(name);
  if (column) {
    field.column = column;
    notes.push(`"${name}" ${columnProblem(name)}: stored as column ${column}`);
  } else if (column === null) {
    notes.push(`"${name}" ${columnProblem(name)} and no column name could be derived: set column`);
  }
  return notes.length > 0 ? { ...field, note: notes.join('; ') } : field;
}

function suggestKey(fields: FieldDraft[], feed: string | undefined): string[] {
  const fits = fields.filter(
    (f) =>
      (f.name === 'id' || f.name.endsWith('_id')) &&
      !f.nullable &&
      ['string', 'int', 'bigint'].includes(f.type.kind),
  );
  const preferred = ['id', ...(feed ? [`${feed}_id`] : [])];
  const best = preferred.map((p) => fits.find((f) => f.name === p)).find((f) => f !== undefined) ?? fits[0];
  return best ? [best.name] : [];
}

/** The non-nullable timestamp field named most like an event time, if any. */
export function suggestEventTime(fields: FieldDraft[]): string | undefined {
  const fits = fields.filter((f) => f.type.kind === 'timestamp' && !f.nullable);
  for (const name of EVENT_TIME_NAMES) {
    if (fits.some((f) => f.name === name)) return name;
  }
  return undefined;
}
