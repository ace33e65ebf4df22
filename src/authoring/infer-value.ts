/**
 * Type inference for one message property (pure): every value seen is classified ({@link classify}), and the
 * classes seen are widened to one feedctl field type ({@link widen}). Values come from `lossless-json`, so a
 * number is its exact text: big integers and decimal digits are never rounded through a float.
 *
 * Rules:
 * - strings: `maxLength` is the longest value (in characters) rounded up to 16, 32, 64, 128 or 255, then to the
 *   next multiple of 256 ({@link roundLength}): room to grow without a schema change for every new long value;
 * - `YYYY-MM-DD` strings are dates; ISO-8601 timestamps (`T` or a space, optional fraction and zone) timestamps;
 *   strings that are all decimal literals with a fraction (`"12.50"`) decimals;
 * - integers: int within int32, bigint within int64, beyond that decimal(digits, 0) (≤ 38 digits), else double;
 * - numbers with a fraction: decimal with the most integer digits and the largest scale seen (`12.50` → scale 2),
 *   when precision ≤ 38; else, or with an exponent, double;
 * - mixed: int + decimal → decimal; any number kind + double → double; date + timestamp → string;
 *   anything + string → string; other mixes → json. Each mix is reported.
 */
import { isLosslessNumber } from 'lossless-json';
import type { FieldType } from '../feeds/types.js';

/** What one value looked like. */
export type ValueClass =
  | { kind: 'string'; length: number }
  | { kind: 'date' | 'timestamp'; length: number }
  | { kind: 'decimalString'; length: number; intDigits: number; scale: number }
  | { kind: 'int' | 'bigint'; intDigits: number }
  | { kind: 'decimal'; intDigits: number; scale: number }
  | { kind: 'double' }
  | { kind: 'boolean' }
  | { kind: 'json' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$/;
const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const DECIMAL_STRING = /^[+-]?\d+\.\d+$/;
const INT32 = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n] as const;
/** MySQL's DECIMAL limit. */
export const MAX_PRECISION = 38;
const LENGTH_STEPS = [16, 32, 64, 128, 255];

/** The class of one non-null value. */
export function classify(v: unknown): ValueClass {
  if (typeof v === 'boolean') return { kind: 'boolean' };
  if (typeof v === 'string') return classifyString(v);
  if (isLosslessNumber(v)) return classifyNumber(v.value);
  if (typeof v === 'number') return classifyNumber(String(v));
  return { kind: 'json' };
}

function classifyString(s: string): ValueClass {
  const length = [...s].length;
  if (DATE.test(s)) return { kind: 'date', length };
  if (TIMESTAMP.test(s)) return { kind: 'timestamp', length };
  if (DECIMAL_STRING.test(s)) return { kind: 'decimalString', length, ...digits(s) };
  return { kind: 'string', length };
}

/** Integer digits (without leading zeros, at least 1) and scale of a plain decimal literal. */
function digits(text: string): { intDigits: number; scale: number } {
  const m = DECIMAL_TEXT.exec(text);
  const int = (m?.[2] ?? '0').replace(/^0+(?=\d)/, '');
  return { intDigits: int === '0' ? 1 : int.length, scale: m?.[3]?.length ?? 0 };
}

function classifyNumber(text: string): ValueClass {
  if (!DECIMAL_TEXT.test(text)) return { kind: 'double' };
  const { intDigits, scale } = digits(text);
  if (scale > 0)
    return intDigits + scale <= MAX_PRECISION ? { kind: 'decimal', intDigits, scale } : { kind: 'double' };
  const n = BigInt(text);
  if (n >= INT32[0] && n <= INT32[1]) return { kind: 'int', intDigits };
  if (n >= INT64[0] && n <= INT64[1]) return { kind: 'bigint', intDigits };
  return intDigits <= MAX_PRECISION ? { kind: 'decimal', intDigits, scale: 0 } : { kind: 'double' };
}

/** `n` characters rounded up to 16, 32, 64, 128, 255, then to a multiple of 256. */
export function roundLength(n: number): number {
  return LENGTH_STEPS.find((s) => s >= n) ?? Math.ceil(n / 256) * 256;
}

/** A widened type and, when the values disagreed or the type is a guess, why. */
export interface Widened {
  type: FieldType;
  note?: string;
}

const NUMERIC = new Set(['int', 'bigint', 'decimal', 'double']);
const TEXTUAL = new Set(['string', 'date', 'timestamp', 'decimalString']);

/** One type for every class seen (at least one). */
export function widen(seen: ValueClass[]): Widened {
  const kinds = [...new Set(seen.map((c) => c.kind))];
  if (kinds.every((k) => NUMERIC.has(k))) return widenNumbers(seen);
  if (kinds.length === 1) return widenOne(kinds[0] as ValueClass['kind'], seen);
  if (kinds.every((k) => TEXTUAL.has(k))) {
    const both = kinds.includes('date') && kinds.includes('timestamp');
    return { type: stringType(seen), ...(both ? { note: 'dates and timestamps seen: typed string' } : {}) };
  }
  const others = kinds.filter((k) => !TEXTUAL.has(k)).join(', ');
  if (kinds.some((k) => TEXTUAL.has(k))) {
    return {
      type: stringType(seen),
      note: `strings and other values (${others}) seen: typed string, check the producer`,
    };
  }
  return { type: { kind: 'json' }, note: `values of several types (${others}) seen: typed json` };
}

function widenOne(kind: ValueClass['kind'], seen: ValueClass[]): Widened {
  switch (kind) {
    case 'string':
      return { type: stringType(seen) };
    case 'decimalString':
      return decimalStrings(seen);
    case 'date':
    case 'timestamp':
    case 'boolean':
    case 'json':
      return { type: { kind } };
    default:
      return widenNumbers(seen);
  }
}

function widenNumbers(seen: ValueClass[]): Widened {
  const kinds = new Set(seen.map((c) => c.kind));
  if (kinds.has('double')) {
    return {
      type: { kind: 'double' },
      ...(kinds.size > 1 ? { note: 'numbers too long or with an exponent seen: typed double' } : {}),
    };
  }
  if (!kinds.has('decimal')) return { type: { kind: kinds.has('bigint') ? 'bigint' : 'int' } };
  const d = decimalOf(seen);
  if (!d) return { type: { kind: 'double' }, note: `more than ${MAX_PRECISION} digits seen: typed double` };
  const mixed = kinds.has('int') || kinds.has('bigint');
  return { type: d, ...(mixed ? { note: 'integers and decimals seen: typed decimal' } : {}) };
}

/** The decimal holding every value seen, or undefined past {@link MAX_PRECISION} digits. */
function decimalOf(seen: ValueClass[]): FieldType | undefined {
  let intDigits = 1;
  let scale = 0;
  for (const c of seen) {
    if ('intDigits' in c) intDigits = Math.max(intDigits, c.intDigits);
    if ('scale' in c) scale = Math.max(scale, c.scale);
  }
  const precision = intDigits + scale;
  return precision <= MAX_PRECISION ? { kind: 'decimal', precision, scale } : undefined;
}

function decimalStrings(seen: ValueClass[]): Widened {
  const d = decimalOf(seen);
  if (!d) return { type: stringType(seen) };
  return {
    type: d,
    note: 'every value is a decimal written as a string: typed decimal (or make it a string)',
  };
}

function stringType(seen: ValueClass[]): FieldType {
  const longest = Math.max(0, ...seen.map((c) => ('length' in c ? c.length : 0)));
  return { kind: 'string', maxLength: roundLength(longest) };
}
