/**
 * A validated JSON object → {@link DecodedRecord} (pure): each field converted to its record.ts representation,
 * event time resolved. Precondition: the object passed the feed's validator (schema.ts), so no conversion fails.
 *
 * Event time: the declared `timestamp` field (ms) or `date` field (00:00 UTC of that day), else the Kafka record
 * timestamp. A nullable event-time field that is null or absent falls back to the record timestamp.
 */
import { FeedctlError } from '../../errors.js';
import type { FeedSpec, FieldSpec } from '../../feeds/types.js';
import type { DecodedRecord, FieldValue } from '../record.js';
import { compactJson } from './json.js';
import { Invalid, converterFor } from './kinds.js';
import { replaceLoneSurrogates, replaceSurrogateEscapes } from './unicode.js';

const DAY_MS = 86_400_000;

/** Kafka coordinates of the message being converted. */
export interface RecordMeta {
  partition: number;
  offset: number;
  timestampMs: number;
}

/** Converts one validated object of a feed. */
export type Coercer = (object: Record<string, unknown>, meta: RecordMeta) => DecodedRecord;

function fieldConverter(f: FieldSpec, replace: boolean): (v: unknown) => FieldValue {
  const t = f.type;
  switch (t.kind) {
    case 'string':
      // Validation refused lone surrogates unless the manifest asked for their replacement.
      return replace ? (v) => replaceLoneSurrogates(v as string) : (v) => v as string;
    case 'boolean':
      return (v) => v as boolean;
    case 'json':
      return replace ? (v) => replaceSurrogateEscapes(compactJson(v)) : compactJson;
    default: {
      const convert = converterFor(t);
      return (v) => {
        const out = convert(v);
        if (out instanceof Invalid) throw notValidated(f, out);
        return out;
      };
    }
  }
}

function notValidated(f: FieldSpec, out: Invalid): FeedctlError {
  return new FeedctlError('INTERNAL', `value passed validation but not conversion: ${out.problem}`, {
    subsystem: 'runtime.decode',
    action: 'convert field',
    id: f.property,
  });
}

/** Event time of a record from its converted values. */
export function eventTimeOf(spec: FeedSpec): (values: FieldValue[], timestampMs: number) => number {
  const et = spec.schema.eventTime;
  if (et.source === 'kafka') return (_values, timestampMs) => timestampMs;
  const index = spec.schema.fields.findIndex((f) => f.name === et.field);
  const scale = spec.schema.fields[index]?.type.kind === 'date' ? DAY_MS : 1;
  return (values, timestampMs) => {
    const v = values[index];
    return typeof v === 'number' ? v * scale : timestampMs;
  };
}

/**
 * Reads field `i`'s property of a parsed object; a property named like an Object.prototype member (`constructor`)
 * counts only when the object has it as its own.
 */
export function fieldReader(
  fields: readonly FieldSpec[],
): (object: Record<string, unknown>, i: number) => unknown {
  const names = fields.map((f) => f.property);
  const own = names.map((n) => n in Object.prototype);
  return (object, i) => {
    const name = names[i] as string;
    return own[i] && !Object.hasOwn(object, name) ? undefined : object[name];
  };
}

/** The coercer of a feed; per-field converters are built once here, not per message. */
export function createCoercer(spec: FeedSpec): Coercer {
  const fields = spec.schema.fields;
  const replace = spec.schema.invalidUnicode === 'replace';
  const converters = fields.map((f) => fieldConverter(f, replace));
  const read = fieldReader(fields);
  const eventTime = eventTimeOf(spec);
  return (object, meta) => {
    const values: FieldValue[] = new Array<FieldValue>(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const v = read(object, i);
      values[i] = v === undefined || v === null ? null : (converters[i] as (v: unknown) => FieldValue)(v);
    }
    const { partition, offset, timestampMs } = meta;
    return { partition, offset, timestampMs, eventTimeMs: eventTime(values, timestampMs), values };
  };
}
