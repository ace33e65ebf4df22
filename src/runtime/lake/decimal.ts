/**
 * Exact decimal text → Decimal128 words (pure). A decimal(p, s) value is stored as the integer value × 10^s in
 * 128-bit two's complement, little-endian: four 32-bit words per value, least significant first. The text never
 * passes through a JS float: short values (≤ 15 digits) are parsed as exact safe integers, longer ones via BigInt.
 */
import { FeedctlError } from '../../errors.js';

/** Unscaled values of at most this many digits are below 2^53 and computed as JS numbers. */
const SAFE_DIGITS = 15;
const TWO_32 = 2 ** 32;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;

/**
 * The unscaled integer of a plain-notation decimal at `scale` (`"-12.3"` at scale 2 → -1230). Fewer fraction
 * digits than `scale` are padded; more, or more than `precision` significant digits, are refused (never rounded).
 * One pass over the characters, without regular expressions or intermediate strings on the common short path.
 */
export function unscaledDecimal(text: string, precision: number, scale: number): number | bigint {
  const first = text.charCodeAt(0);
  const start = first === MINUS || first === PLUS ? 1 : 0;
  let value = 0; // exact while significant digits ≤ SAFE_DIGITS
  let significant = 0;
  let fraction = -1; // digits after the dot; -1 while no dot was seen
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT && fraction < 0) {
      fraction = 0;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9) throw invalid(text, precision, scale, 'not a plain decimal');
    if (fraction >= 0) fraction += 1;
    if (significant > 0 || d !== 0) significant += 1;
    value = value * 10 + d;
  }
  const digitCount = text.length - start - (fraction >= 0 ? 1 : 0);
  if (digitCount === 0) throw invalid(text, precision, scale, 'not a plain decimal');
  if (fraction > scale) throw invalid(text, precision, scale, 'more fraction digits than the scale');
  const pad = scale - Math.max(fraction, 0);
  if (significant > 0 && significant + pad > precision) {
    throw invalid(text, precision, scale, 'too many digits for the precision');
  }
  const negative = first === MINUS && significant > 0;
  if (significant + pad <= SAFE_DIGITS) {
    const n = value * 10 ** pad;
    return negative ? -n : n;
  }
  const b = BigInt(text.slice(start).replace('.', '') + '0'.repeat(pad));
  return negative ? -b : b;
}

/** Writes one value into slot `index` of Decimal128 storage: `words` and `big` view the same buffer. */
export function writeDecimal128(
  words: Uint32Array,
  big: BigInt64Array,
  index: number,
  v: number | bigint,
): void {
  if (typeof v === 'bigint') {
    big[2 * index] = BigInt.asIntN(64, v);
    big[2 * index + 1] = BigInt.asIntN(64, v >> 64n);
    return;
  }
  const at = 4 * index;
  writeInt64Words(words, at, v);
  const sign = v < 0 ? 0xffffffff : 0;
  words[at + 2] = sign;
  words[at + 3] = sign;
}

/** Writes a safe integer as a little-endian 64-bit two's complement pair at `words[at]`, without BigInt. */
export function writeInt64Words(words: Uint32Array, at: number, v: number): void {
  const high = Math.floor(v / TWO_32);
  words[at] = v - high * TWO_32;
  words[at + 1] = high; // ToUint32 wraps negative highs into two's complement
}

function invalid(text: string, precision: number, scale: number, why: string): FeedctlError {
  return new FeedctlError('INTERNAL', `${JSON.stringify(text.slice(0, 80))}: ${why}`, {
    subsystem: 'lake',
    action: `encode decimal(${precision},${scale})`,
  });
}
