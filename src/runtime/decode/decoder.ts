/**
 * Raw Kafka message → {@link DecodedRecord} or {@link DecodeFailure}: parse (json.ts), validate (schema.ts),
 * coerce (coerce.ts). Bad data never throws; it comes back as a failure for the dead-letter topic.
 */
import type { FeedSpec, FieldSpec } from '../../feeds/types.js';
import type { DecodeFailure, DecodedRecord, RawMessage } from '../record.js';

export type { RawMessage } from '../record.js';
import type { ValidateFunction } from 'ajv';
import { createCoercer, type Coercer } from './coerce.js';
import { parseObject } from './json.js';
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
 * Whether a natively parsed object must be parsed again losslessly, so that the outcome is exactly the lossless
 * parser's: a decimal, bigint or json field holds a JSON number (or, for json, an object or array, which may hide
 * numbers), or another field holds a number a float cannot have read exactly (an overflow, an integer beyond
 * 2^53). Producers that send exact values as strings — the common case for decimals — keep the fast parser.
 */
function needsReparse(object: Record<string, unknown>, fields: readonly FieldSpec[]): boolean {
  for (const f of fields) {
    const v = object[f.property];
    if (typeof v === 'number') {
      if (needsLossless([f]) || !Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v)))
        return true;
    } else if (v !== null && typeof v === 'object' && f.type.kind === 'json') return true;
  }
  return false;
}

/** A decoder for one feed generation; the validator is compiled once per (feed, generation) and shared. */
export function createDecoder(spec: FeedSpec, generation: number): Decoder {
  const validate = compileFeedSchema(spec, generation);
  const coerce = createCoercer(spec);
  const lossless = needsLossless(spec.schema.fields);
  const { fields } = spec.schema;
  const counters: DecodeCounters = { decoded: 0, failed: { parse: 0, schema: 0, snapshot: 0 } };
  const snapshots = snapshotReader(spec);
  const decodeOne = (m: RawMessage): DecodedRecord | DecodeFailure => {
    let parsed = parseObject(m.value, false);
    if (lossless && (!parsed.ok || needsReparse(parsed.object, fields))) {
      parsed = parseObject(m.value, true);
    }
    if (!parsed.ok) {
      counters.failed.parse++;
      return parsed.failure;
    }
    const out = validateAndCoerce(validate, coerce, parsed.object, m);
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
