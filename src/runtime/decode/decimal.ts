/**
 * Exact decimal numbers from JSON number text or numeric strings (pure). Nothing here passes through a JS float:
 * the text is split into sign, significant digits and the position of the decimal point, and every check and
 * rendering works on those digits. Exponents are applied by moving the point, so `1.5e3` is `1500` and a huge
 * exponent such as `1e999999999` is refused by counting digits, without ever building the long string.
 */

/**
 * A finite decimal value: `(negative ? -1 : 1) × 0.DIGITS × 10^point`.
 * Invariant: `digits` has no leading or trailing zeros; zero is `digits: ''` and is never negative.
 */
export interface DecimalParts {
  negative: boolean;
  digits: string;
  point: number;
}

/** JSON number grammar, loosened for strings: optional `+`, leading zeros, `5.` and `.5`, exponent with sign. */
const NUMERIC = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Splits numeric text into {@link DecimalParts}; undefined when the text is not a finite decimal number. */
export function parseDecimal(text: string): DecimalParts | undefined {
  const m = NUMERIC.exec(text);
  if (!m) return undefined;
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  if (whole.length + fraction.length === 0) return undefined;
  const all = whole + fraction;
  const lead = leadingZeros(all);
  if (lead === all.length) return { negative: false, digits: '', point: 0 };
  const digits = all.slice(lead, all.length - trailingZeros(all));
  // Number() of an exponent with hundreds of digits is ±Infinity, which the digit counts below refuse anyway.
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  return { negative: m[1] === '-', digits, point: whole.length - lead + exponent };
}

function leadingZeros(s: string): number {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 48) i++;
  return i;
}

function trailingZeros(s: string): number {
  let i = 0;
  while (i < s.length && s.charCodeAt(s.length - 1 - i) === 48) i++;
  return i;
}

/** Digits before the decimal point, leading zeros not counted (`0.5` → 0, `120` → 3). */
export function integerDigits(d: DecimalParts): number {
  return d.digits === '' ? 0 : Math.max(d.point, 0);
}

/** Digits after the decimal point, trailing zeros not counted (`1.50` → 1, `1e-3` → 3). */
export function fractionDigits(d: DecimalParts): number {
  return Math.max(d.digits.length - d.point, 0);
}

/**
 * Why `d` does not fit decimal(precision, scale), or undefined when it does. A value with more than `scale`
 * fraction digits is refused, never rounded.
 */
export function decimalProblem(d: DecimalParts, precision: number, scale: number): string | undefined {
  if (fractionDigits(d) > scale) {
    return `must have at most ${scale} decimal places, feedctl does not round`;
  }
  const maxWhole = precision - scale;
  if (integerDigits(d) > maxWhole) return `must have at most ${maxWhole} digits before the decimal point`;
  return undefined;
}

/**
 * Plain notation with exactly `scale` fraction digits (`-12.3` at scale 2 → `"-12.30"`; zero, also `-0`, →
 * `"0.00"`: MySQL and Parquet decimals have no negative zero). Precondition: {@link decimalProblem} found none.
 */
export function formatDecimal(d: DecimalParts, scale: number): string {
  const { digits, point } = d;
  let whole: string;
  let fraction: string;
  if (point <= 0) {
    whole = '0';
    fraction = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    whole = digits + '0'.repeat(point - digits.length);
    fraction = '';
  } else {
    whole = digits.slice(0, point);
    fraction = digits.slice(point);
  }
  const text = scale === 0 ? whole : `${whole}.${fraction.padEnd(scale, '0')}`;
  return d.negative ? `-${text}` : text;
}

/**
 * The exact integer value of `d`, or undefined when it has a fraction or more than `maxDigits` digits (a bound
 * that keeps huge exponents from building huge strings).
 */
export function decimalToBigInt(d: DecimalParts, maxDigits: number): bigint | undefined {
  if (fractionDigits(d) > 0 || integerDigits(d) > maxDigits) return undefined;
  const text = formatDecimal(d, 0);
  return BigInt(text);
}
