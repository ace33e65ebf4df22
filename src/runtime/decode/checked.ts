/**
 * Validation and conversion in one pass, for the common case of a valid message: each field checked and converted
 * once, without the JSON Schema validator (which converts the exact types to check them, after which the coercer
 * converts them again). It accepts exactly what the feed's schema (schema.ts) accepts and gives what the coercer
 * (coerce.ts) gives; on anything it refuses it returns null and the decoder runs the validator, whose diagnostic
 * goes to the dead-letter topic. Pure.
 */
import type { FeedSpec, FieldSpec } from '../../feeds/types.js';
import type { DecodedRecord, FieldValue } from '../record.js';
import { eventTimeOf, fieldReader, type RecordMeta } from './coerce.js';
import { compactJson } from './json.js';
import { Invalid, converterFor } from './kinds.js';
import {
  hasLoneSurrogate,
  LONE_SURROGATE,
  replaceLoneSurrogates,
  replaceSurrogateEscapes,
} from './unicode.js';

const REFUSED = Symbol('refused');
/** Checks and converts a present, non-null value. */
type Check = (v: unknown) => FieldValue | typeof REFUSED;

/** Code points of `s` (a surrogate pair counts once, as ajv's `maxLength` counts). */
function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function checkString(maxLength: number | null, replace: boolean): Check {
  return (v) => {
    if (typeof v !== 'string') return REFUSED;
    if (maxLength !== null && v.length > maxLength && codePoints(v) > maxLength) return REFUSED;
    if (!LONE_SURROGATE.test(v)) return v;
    return replace ? replaceLoneSurrogates(v) : REFUSED;
  };
}

function check(f: FieldSpec, replace: boolean): Check {
  const t = f.type;
  switch (t.kind) {
    case 'string':
      return checkString(t.maxLength, replace);
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : REFUSED);
    case 'json':
      return replace
        ? (v) => replaceSurrogateEscapes(compactJson(v))
        : (v) => (hasLoneSurrogate(v) ? REFUSED : compactJson(v));
    default: {
      const convert = converterFor(t);
      return (v) => {
        const out = convert(v);
        return out instanceof Invalid ? REFUSED : out;
      };
    }
  }
}

/** The one-pass decoder of a feed's objects: a record, or null when the validator must say why not. */
export function createCheckedCoercer(
  spec: FeedSpec,
): (object: Record<string, unknown>, meta: RecordMeta) => DecodedRecord | null {
  const fields = spec.schema.fields;
  const nullable = fields.map((f) => f.nullable);
  const replace = spec.schema.invalidUnicode === 'replace';
  const checks = fields.map((f) => check(f, replace));
  const read = fieldReader(fields);
  const eventTime = eventTimeOf(spec);
  return (object, meta) => {
    const values: FieldValue[] = new Array<FieldValue>(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const v = read(object, i);
      if (v === undefined || v === null) {
        if (!nullable[i]) return null;
        values[i] = null;
        continue;
      }
      const out = (checks[i] as Check)(v);
      if (out === REFUSED) return null;
      values[i] = out;
    }
    const { partition, offset, timestampMs } = meta;
    return { partition, offset, timestampMs, eventTimeMs: eventTime(values, timestampMs), values };
  };
}
