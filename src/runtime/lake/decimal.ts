/**
 * Exact decimal text → Decimal128 words (pure). A decimal(p, s) value is stored as the integer value × 10^s in
 * 128-bit two's complement, little-endian: four 32-bit words per value, least significant first. The text never
 * passes through a JS float: short values (≤ 15 digits) are parsed as exact safe integers, longer ones via BigInt.
 */
import { FeedctlError } from '../../errors.js';

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;
/** Unscaled values of at most this many digits are below 2^53 and parsed as JS numbers. */
const SAFE_DIGITS = 15;
const TWO_32 = 2 ** 32;

/**
 * The unscaled integer of a plain-notation decimal at `scale` (`"-12.3"` at scale 2 → -1230). Fewer fraction
 * digits than `scale` are padded; more, or more than `precision` significant digits, are refused (never rounded).
 */
export function unscaledDecimal(text: string, precision: number, scale: number): number | bigint {
  const m = DECIMAL_TEXT.exec(text);
  const whole = m?.[2] ?? '';
  const fraction = m?.[3] ?? '';
  if (!m || whole.length + fraction.length === 0 || fraction.length > scale) {
    throw invalid(text, precision, scale, 'not a plain decimal with at most `scale` fraction digits');
  }
  const digits = (whole + fraction.padEnd(scale, '0')).replace(/^0+/, '');
  if (digits.length > precision) throw invalid(text, precision, scale, 'too many digits for the precision');
  const negative = m[1] === '-';
  if (digits.length <= SAFE_DIGITS) {
    const n = digits === '' ? 0 : Number(digits);
    return negative ? -n : n;
  }
  const b = BigInt(digits);
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
