/**
 * The fast path of the lake lanes (pure): a message of the common shape (flat-json.ts) read straight from its bytes
 * into a {@link FastRow} of numbers and byte ranges, which the column builders take without a JS string or object
 * per value. It gives exactly what the full decoder (decoder.ts) gives for the values it handles — integers and
 * decimals written plainly (no exponent), any finite float or double, dates, timestamps, strings without escapes,
 * booleans and nulls — and gives up (null) on anything else, even when the decoder would accept it: that message
 * then goes the full way. Feeds with a json field or a decimal wider than 38 digits (stored as text) have no fast
 * path. Numbers are read from the bytes when that is exact, else from their ASCII text (bigints and decimals past
 * 15 digits, doubles that need more than one correctly rounded operation).
 */
import type { FeedSpec, FieldSpec } from '../../feeds/types.js';
import { eventTimeOf } from './coerce.js';
import { FlatJsonReader, TOKEN, type FieldTokens } from './flat-json.js';
import { parseDate, parseTimestamp, storableMs } from './time.js';

/**
 * One message read by the fast path; reused from message to message. Per field: `nulls[i]` is 1 for null;
 * otherwise `nums[i]` holds an int, bigint, float, double or boolean (1/0) field's value, a date's days, a
 * timestamp's milliseconds or a decimal's unscaled integer (value × 10^scale), and a string field's UTF-8 bytes lie
 * in `[tokens.starts[i], tokens.ends[i])` of the message's bytes.
 */
export interface FastRow {
  nulls: Uint8Array;
  nums: Float64Array;
  /** 1 where a bigint or decimal field's value is too long for `nums`: it is `bigs[i]` instead. */
  wide: Uint8Array;
  bigs: bigint[];
  tokens: FieldTokens;
  eventTimeMs: number;
}

/** Reads field `i`'s token into the row; false when the fast path gives up on it. */
type FieldRead = (row: FastRow, i: number, bytes: Uint8Array, text: Latin1) => boolean;
/** The ASCII text of a byte range (the caller's Buffer over the batch's bytes). */
type Latin1 = (start: number, end: number) => string;

/** Integers of at most this many digits are exact as doubles (10^15 < 2^53). */
const SAFE_DIGITS = 15;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const FLOAT32_MAX = 3.4028234663852886e38;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Digits of the longest int64 (9223372036854775807). */
const INT64_DIGITS = 19;
/** Powers of ten exact as doubles: a correctly rounded product or quotient with one of them is what Number() reads. */
const EXACT_POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;

/** A plain number's sign, the integer of all its digits, how many follow the point, how many are significant. */
interface Plain {
  negative: boolean;
  value: number;
  fraction: number;
  significant: number;
}
const plain: Plain = { negative: false, value: 0, fraction: 0, significant: 0 };

/**
 * The digits of a plain number `-?\d+(\.\d+)?` in `[start, end)` (significant: from the first non-zero), in a
 * shared object valid until the next call; undefined for any other text (an exponent, a `+`, a lone point). `value`
 * is exact only up to {@link SAFE_DIGITS} significant digits.
 */
function readPlain(bytes: Uint8Array, start: number, end: number): Plain | undefined {
  const negative = bytes[start] === MINUS;
  let value = 0;
  let fraction = -1;
  let significant = 0;
  let digits = 0;
  for (let i = negative ? start + 1 : start; i < end; i++) {
    const c = bytes[i] as number;
    if (c === DOT && fraction < 0 && digits > 0) {
      fraction = 0;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9) return undefined;
    digits++;
    if (fraction >= 0) fraction++;
    if (significant > 0 || d !== 0) significant++;
    value = value * 10 + d;
  }
  if (digits === 0 || fraction === 0) return undefined;
  plain.negative = negative;
  plain.value = value;
  plain.fraction = Math.max(fraction, 0);
  plain.significant = significant;
  return plain;
}

/** `magnitude` with the plain number's sign, never a negative zero (as integers and decimals have none). */
const signed = (p: Plain, magnitude: number): number =>
  p.negative && magnitude !== 0 ? -magnitude : magnitude;

/** A plain integer token (no point), as a number without a negative zero. */
function integer(bytes: Uint8Array, start: number, end: number): number | undefined {
  const p = readPlain(bytes, start, end);
  if (p === undefined || p.fraction > 0 || p.significant > SAFE_DIGITS) return undefined;
  return signed(p, p.value);
}

const readInt: FieldRead = (row, i, bytes) => {
  const { kinds, starts, ends } = row.tokens;
  const n = kinds[i] === TOKEN.number ? integer(bytes, starts[i]!, ends[i]!) : undefined;
  if (n === undefined || n < INT32_MIN || n > INT32_MAX) return false;
  return ((row.nums[i] = n), true);
};

/** A bigint: a JSON number or a string of digits, both plain; past 15 digits, as a BigInt within 64 bits. */
const readBigint: FieldRead = (row, i, bytes, text) => {
  const { kinds, starts, ends } = row.tokens;
  const k = kinds[i];
  const p = k === TOKEN.number || k === TOKEN.string ? readPlain(bytes, starts[i]!, ends[i]!) : undefined;
  if (p === undefined || p.fraction > 0 || p.significant > INT64_DIGITS) return false;
  if (p.significant <= SAFE_DIGITS) return ((row.nums[i] = signed(p, p.value)), true);
  const b = BigInt(text(starts[i]!, ends[i]!));
  if (b < INT64_MIN || b > INT64_MAX) return false;
  return wide(row, i, b);
};

function wide(row: FastRow, i: number, b: bigint): true {
  row.wide[i] = 1;
  row.bigs[i] = b;
  return true;
}

/** A double as Number() reads it, when one exact operation gives it (Clinger's fast path); else undefined. */
function exactDouble(bytes: Uint8Array, start: number, end: number): number | undefined {
  const p = readPlain(bytes, start, end);
  if (p === undefined || p.significant > SAFE_DIGITS || p.fraction >= EXACT_POWERS.length) return undefined;
  const magnitude = p.value / (EXACT_POWERS[p.fraction] as number);
  return p.negative ? -magnitude : magnitude;
}

/**
 * A float or double: a JSON number within `max` (finite), as JSON.parse reads it — by one exact operation when it
 * can be, else by Number() of its text (the same correctly rounded conversion).
 */
function readFloat(max: number): FieldRead {
  return (row, i, bytes, text) => {
    const { kinds, starts, ends } = row.tokens;
    if (kinds[i] !== TOKEN.number) return false;
    const n = exactDouble(bytes, starts[i]!, ends[i]!) ?? Number(text(starts[i]!, ends[i]!));
    if (!(Math.abs(n) <= max)) return false;
    return ((row.nums[i] = n), true);
  };
}

/**
 * A decimal(precision, scale) from a plain number or numeric string: its unscaled integer (value × 10^scale), as a
 * BigInt past 15 digits.
 */
function readDecimal(precision: number, scale: number): FieldRead {
  return (row, i, bytes, text) => {
    const { kinds, starts, ends } = row.tokens;
    const k = kinds[i];
    const p = k === TOKEN.number || k === TOKEN.string ? readPlain(bytes, starts[i]!, ends[i]!) : undefined;
    if (p === undefined || p.fraction > scale) return false;
    const pad = scale - p.fraction;
    if (p.significant > 0 && p.significant - p.fraction + scale > precision) return false;
    if (p.significant + pad <= SAFE_DIGITS) {
      return ((row.nums[i] = signed(p, p.value * (EXACT_POWERS[pad] as number))), true);
    }
    return wide(row, i, BigInt(text(starts[i]!, ends[i]!).replace('.', '') + '0'.repeat(pad)));
  };
}

const readDate: FieldRead = (row, i, _bytes, text) => {
  const { kinds, starts, ends } = row.tokens;
  if (kinds[i] !== TOKEN.string) return false;
  const days = parseDate(text(starts[i]!, ends[i]!));
  return typeof days === 'number' && ((row.nums[i] = days), true);
};

/** A timestamp: RFC 3339 text (time.ts) or integer epoch milliseconds. */
const readTimestamp: FieldRead = (row, i, bytes, text) => {
  const { kinds, starts, ends } = row.tokens;
  const k = kinds[i];
  let ms: number | string | undefined;
  if (k === TOKEN.string) ms = parseTimestamp(text(starts[i]!, ends[i]!));
  else if (k === TOKEN.number) {
    const n = integer(bytes, starts[i]!, ends[i]!);
    ms = n === undefined ? undefined : storableMs(n);
  }
  return typeof ms === 'number' && ((row.nums[i] = ms), true);
};

const readBoolean: FieldRead = (row, i) => {
  const k = row.tokens.kinds[i];
  if (k !== TOKEN.true && k !== TOKEN.false) return false;
  return ((row.nums[i] = k === TOKEN.true ? 1 : 0), true);
};

/** A string field; longer than `maxLength` code points (counted on the UTF-8 bytes) makes the fast path give up. */
function readString(maxLength: number | null): FieldRead {
  return (row, i, bytes) => {
    const { kinds, starts, ends } = row.tokens;
    if (kinds[i] !== TOKEN.string) return false;
    const start = starts[i]!;
    const end = ends[i]!;
    if (maxLength === null || end - start <= maxLength) return true;
    let points = 0;
    for (let k = start; k < end; k++) if (((bytes[k] as number) & 0xc0) !== 0x80) points++;
    return points <= maxLength;
  };
}

/** The fast reader of a field, or null when its kind has no fast path. */
function fieldRead(f: FieldSpec): FieldRead | null {
  const t = f.type;
  switch (t.kind) {
    case 'string':
      return readString(t.maxLength);
    case 'int':
      return readInt;
    case 'bigint':
      return readBigint;
    case 'float':
      return readFloat(FLOAT32_MAX);
    case 'double':
      return readFloat(Number.MAX_VALUE);
    case 'decimal':
      return t.precision <= 38 ? readDecimal(t.precision, t.scale) : null;
    case 'date':
      return readDate;
    case 'timestamp':
      return readTimestamp;
    case 'boolean':
      return readBoolean;
    case 'json':
      return null;
  }
}

/** Reads one message of a feed into a row, or gives up (null): the message then goes through the full decoder. */
export type FastRowReader = (
  bytes: Uint8Array,
  start: number,
  end: number,
  text: Latin1,
  timestampMs: number,
) => FastRow | null;

/** The fast path of a stream feed's messages, or null when the feed has none (a table feed, a json field …). */
export function fastRowReader(spec: FeedSpec): FastRowReader | null {
  if (spec.type !== 'stream') return null;
  const fields = spec.schema.fields;
  const reads = fields.map(fieldRead);
  if (reads.some((r) => r === null)) return null;
  const reader = new FlatJsonReader(fields.map((f) => f.property));
  const n = fields.length;
  const row: FastRow = {
    nulls: new Uint8Array(n),
    nums: new Float64Array(n),
    wide: new Uint8Array(n),
    bigs: new Array<bigint>(n).fill(0n),
    tokens: reader.tokens,
    eventTimeMs: 0,
  };
  const nullable = fields.map((f) => f.nullable);
  const eventTime = eventTimeOf(spec);
  const values: (number | null)[] = new Array<number | null>(n).fill(null);
  return (bytes, start, end, text, timestampMs) => {
    if (!reader.read(bytes, start, end)) return null;
    const { kinds } = row.tokens;
    for (let i = 0; i < n; i++) {
      const k = kinds[i];
      const missing = k === TOKEN.absent || k === TOKEN.null;
      if (missing && !nullable[i]) return null;
      row.nulls[i] = missing ? 1 : 0;
      row.wide[i] = 0;
      if (!missing && !(reads[i] as FieldRead)(row, i, bytes, text)) return null;
      values[i] = missing ? null : (row.nums[i] as number);
    }
    row.eventTimeMs = eventTime(values, timestampMs);
    return row;
  };
}
