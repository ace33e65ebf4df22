/**
 * Raw Kafka message → {@link DecodedRecord} or {@link DecodeFailure}: parse (json.ts), validate (schema.ts),
 * coerce (coerce.ts). Bad data never throws; it comes back as a failure for the dead-letter topic.
 */
import type { FeedSpec, FieldSpec } from '../../feeds/types.js';
import type { DecodeFailure, DecodedRecord, RawMessage } from '../record.js';

export type { RawMessage } from '../record.js';
import type { ValidateFunction } from 'ajv';
import { createCheckedCoercer } from './checked.js';
import { createCoercer, type Coercer } from './coerce.js';
import { JsonNumber, parseObject, type Parsed } from './json.js';
import { numberTexts } from './number-text.js';
import { formatProblems } from './messages.js';
import { compileFeedSchema } from './schema.js';
import { snapshotReader } from './snapshot.js';

/** Plain counters the caller reads (metrics exposition comes later). Invariant: only ever increase. */
export interface DecodeCounters {
  decoded: number;
  failed: { parse: number; schema: number; snapshot: number };
}

/** Decodes the messages of one feed generation. */
export interface Decoder {
  /** Never throws for bad data: a message that is not a valid record is returned as a failure. */
  decode(m: RawMessage): DecodedRecord | DecodeFailure;
  readonly counters: DecodeCounters;
}

/**
 * Whether a feed's messages need the lossless parser: decimals and bigints must not pass through a float, and json
 * fields are re-serialized with their numbers exactly as written (`1.10`, `12345678901234567890`).
 */
export function needsLossless(fields: readonly FieldSpec[]): boolean {
  return fields.some((f) => f.type.kind === 'decimal' || f.type.kind === 'bigint' || f.type.kind === 'json');
}

/**
 * Which fields of a natively parsed object need the exact text of their number, so that the outcome is exactly the
 * lossless parser's: a decimal, bigint or json field holding a JSON number, or another field holding a number a
 * float cannot have read exactly (an overflow, an integer beyond 2^53). `all` when a json field holds an object or
 * array (which may hide numbers): the whole message is parsed again losslessly. Producers that send exact values
 * as strings — the common case for decimals — need none.
 */
function inexactFields(object: Record<string, unknown>, fields: readonly FieldSpec[]): FieldSpec[] | 'all' {
  const out: FieldSpec[] = [];
  for (const f of fields) {
    const v = object[f.property];
    if (typeof v === 'number') {
      if (needsLossless([f]) || !Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v)))
        out.push(f);
    } else if (v !== null && typeof v === 'object' && f.type.kind === 'json') return 'all';
  }
  return out;
}

/**
 * A natively parsed message as the lossless parser would have it for the feed's fields: the inexact fields'
 * numbers replaced by their text (number-text.ts), or the message parsed again losslessly when that cannot be done.
 */
function exactly(parsed: Parsed, value: Buffer | null, fields: readonly FieldSpec[]): Parsed {
  if (!parsed.ok) return parseObject(value, true); // the lossless parser's diagnostic
  const inexact = inexactFields(parsed.object, fields);
  if (inexact !== 'all' && inexact.length === 0) return parsed;
  if (inexact === 'all' || inexact.some((f) => f.property === '__proto__')) return parseObject(value, true);
  const texts = numberTexts(parsed.text, new Set(inexact.map((f) => f.property)));
  if (texts === null || texts.size !== inexact.length) return parseObject(value, true);
  for (const f of inexact) parsed.object[f.property] = new JsonNumber(texts.get(f.property) as string);
  return parsed;
}

/** A decoder for one feed generation; the validator is compiled once per (feed, generation) and shared. */
export function createDecoder(spec: FeedSpec, generation: number): Decoder {
  const validate = compileFeedSchema(spec, generation);
  const coerce = createCoercer(spec);
  const checked = createCheckedCoercer(spec);
  const lossless = needsLossless(spec.schema.fields);
  const { fields } = spec.schema;
  const counters: DecodeCounters = { decoded: 0, failed: { parse: 0, schema: 0, snapshot: 0 } };
  const snapshots = snapshotReader(spec);
  const decodeOne = (m: RawMessage): DecodedRecord | DecodeFailure => {
    let parsed = parseObject(m.value, false);
    if (lossless) parsed = exactly(parsed, m.value, fields);
    if (!parsed.ok) {
      counters.failed.parse++;
      return parsed.failure;
    }
    const out = checked(parsed.object, m) ?? validateAndCoerce(validate, coerce, parsed.object, m);
    if (isFailure(out)) counters.failed.schema++;
    return out;
  };
  return {
    counters,
    decode(m) {
      const marker = snapshots?.marker(m) ?? null;
      const out = marker ?? decodeOne(m);
      const tagged = snapshots && !marker && !isFailure(out) ? snapshots.tag(out, m) : out;
      if (!isFailure(tagged)) counters.decoded++;
      else if (tagged.stage === 'snapshot') counters.failed.snapshot++;
      return tagged;
    },
  };
}

/**
 * The record of a parsed object, or its schema failure. Nothing here recurses into deeply nested input: json field
 * objects (the only recursive conversion) take the lossless path, whose parser already refused what the stack
 * cannot hold,
 * and error previews fall back to the value's kind.
 */
function validateAndCoerce(
  validate: ValidateFunction,
  coerce: Coercer,
  object: Record<string, unknown>,
  m: RawMessage,
): DecodedRecord | DecodeFailure {
  if (validate(object)) return coerce(object, m);
  return { stage: 'schema', errorClass: 'SchemaViolation', message: formatProblems(validate.errors ?? []) };
}

/** True for a failure, false for a decoded record. */
export function isFailure(x: DecodedRecord | DecodeFailure): x is DecodeFailure {
  return 'stage' in x;
}
