/**
 * Checking and converting the field kinds plain JSON Schema cannot express over lossless numbers (pure): int,
 * bigint, float, double, decimal, date and timestamp. One function per kind does both, so the ajv keyword (which
 * keeps only the verdict) and the coercion (which keeps the value) cannot disagree. Values come from either parser
 * of json.ts: a JS number (fast path) or a {@link JsonNumber} (lossless path) for JSON numbers.
 */
import type { FieldType } from '../../feeds/types.js';
import type { FieldValue } from '../record.js';
import {
  decimalProblem,
  decimalToBigInt,
  formatDecimal,
  fractionDigits,
  integerDigits,
  parseDecimal,
} from './decimal.js';
import { JsonNumber } from './json.js';
import { parseDate, parseTimestamp, storableMs } from './time.js';

/** Why a value does not fit its field; `problem` reads after the field path, e.g. `must be a finite number`. */
export class Invalid {
  constructor(readonly problem: string) {}
}

/** The field types checked by the `feedctlType` ajv keyword. */
export type ExactType = Exclude<FieldType, { kind: 'string' } | { kind: 'boolean' } | { kind: 'json' }>;

/** Converts one non-null JSON value to the record.ts representation of its kind, or says why it cannot. */
export type Converter = (v: unknown) => FieldValue | Invalid;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** The largest finite float32, as MySQL FLOAT and Parquet FLOAT store it. */
const FLOAT32_MAX = 3.4028234663852886e38;
const DIGITS = /^-?\d+$/;
/** Plain integers short enough to be exact as a JS number and as an int64: the common case, parsed directly. */
const SHORT_INTEGER = /^-?\d{1,15}$/;

const INT_PROBLEM = `must be an integer from ${INT32_MIN} to ${INT32_MAX}`;
const BIGINT_PROBLEM = `must be an integer from ${INT64_MIN} to ${INT64_MAX} (a number or a string of digits)`;

/** The converter of an exact kind. */
export function converterFor(t: ExactType): Converter {
  switch (t.kind) {
    case 'int':
      return int32;
    case 'bigint':
      return int64;
    case 'float':
      return float32;
    case 'double':
      return float64;
    case 'decimal':
      return (v) => decimal(v, t.precision, t.scale);
    case 'date':
      return date;
    case 'timestamp':
      return timestamp;
  }
}

/**
 * The value of an integral JSON number (`1.0` and `1e3` count; `-0` is 0), or undefined for a fraction or a
 * non-number. Lossless values of more than 16 digits give undefined: they are far outside every range checked
 * with this.
 */
function integral(v: unknown): number | undefined {
  let n: number | undefined;
  if (typeof v === 'number') n = Number.isInteger(v) ? v : undefined;
  else if (v instanceof JsonNumber) {
    if (SHORT_INTEGER.test(v.text)) n = Number(v.text);
    else {
      const d = parseDecimal(v.text);
      n = d && fractionDigits(d) === 0 && integerDigits(d) <= 16 ? Number(v.text) : undefined;
    }
  }
  return n === 0 ? 0 : n;
}

function int32(v: unknown): number | Invalid {
  const n = integral(v);
  return n !== undefined && n >= INT32_MIN && n <= INT32_MAX ? n : new Invalid(INT_PROBLEM);
}

function int64(v: unknown): bigint | Invalid {
  let b: bigint | undefined;
  if (typeof v === 'number') b = Number.isSafeInteger(v) ? BigInt(v) : undefined;
  else if (v instanceof JsonNumber || (typeof v === 'string' && DIGITS.test(v))) {
    const text = typeof v === 'string' ? v : v.text;
    if (SHORT_INTEGER.test(text)) b = BigInt(text);
    else {
      const d = parseDecimal(text);
      b = d && decimalToBigInt(d, 19);
    }
  }
  return b !== undefined && b >= INT64_MIN && b <= INT64_MAX ? b : new Invalid(BIGINT_PROBLEM);
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  return v instanceof JsonNumber ? Number(v.text) : undefined;
}

function float64(v: unknown): number | Invalid {
  const n = toNumber(v);
  return n !== undefined && Number.isFinite(n) ? n : new Invalid('must be a finite number');
}

function float32(v: unknown): number | Invalid {
  const n = toNumber(v);
  return n !== undefined && Math.abs(n) <= FLOAT32_MAX
    ? n
    : new Invalid(`must be a number within the float range ±${FLOAT32_MAX}`);
}

function decimal(v: unknown, precision: number, scale: number): string | Invalid {
  const text = v instanceof JsonNumber ? v.text : typeof v === 'string' ? v : undefined;
  const d = text === undefined ? undefined : parseDecimal(text);
  if (!d) return new Invalid('must be a decimal number or numeric string');
  const problem = decimalProblem(d, precision, scale);
  return problem === undefined ? formatDecimal(d, scale) : new Invalid(problem);
}

function date(v: unknown): number | Invalid {
  const days = typeof v === 'string' ? parseDate(v) : 'must be a date YYYY-MM-DD';
  return typeof days === 'number' ? days : new Invalid(days);
}

function timestamp(v: unknown): number | Invalid {
  let ms: number | string;
  if (typeof v === 'string') ms = parseTimestamp(v);
  else if (typeof v === 'number' || v instanceof JsonNumber) {
    const n = integral(v);
    ms = n === undefined ? 'epoch milliseconds must be an integer' : storableMs(n);
  } else ms = 'must be an RFC 3339 timestamp or integer epoch milliseconds';
  return typeof ms === 'number' ? ms : new Invalid(ms);
}
