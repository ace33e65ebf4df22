/**
 * Dates and timestamps from JSON (pure). Calendar arithmetic is done on integers (proleptic Gregorian, UTC), not
 * through `Date.UTC`, which maps years 0–99 to 1900–1999.
 *
 * Accepted timestamps:
 * - RFC 3339 / ISO 8601 extended text: `YYYY-MM-DD`, then `T`, `t` or a space, `HH:MM`, optional `:SS`, optional
 *   fraction of any length (truncated to milliseconds, never rounded up), then `Z`/`z` or an offset `±HH:MM`,
 *   `±HHMM` or `±HH`;
 * - a naive timestamp (no zone) is taken as UTC: producers that omit the zone almost always mean it, and
 *   assuming the consumer's local zone would make the data depend on where feedctl runs;
 * - an integer JSON number: milliseconds since the epoch.
 * Leap seconds (`:60`) and `24:00` are refused: MySQL DATETIME cannot store them.
 */

const DAY_MS = 86_400_000;
const NOT_A_DATE = 'must be a date YYYY-MM-DD';
const NOT_A_REAL_DATE = 'must be a real calendar date (years 0001-9999)';
const NOT_A_TIMESTAMP = 'must be an RFC 3339 timestamp or integer epoch milliseconds';
const NOT_A_REAL_TIME = 'must be a real date and time';
/** Years outside 0001–9999 cannot be stored by MySQL DATE/DATETIME nor written with four digits. */
export const MIN_MS = daysFromCivil(1, 1, 1) * DAY_MS;
export const MAX_MS = (daysFromCivil(9999, 12, 31) + 1) * DAY_MS - 1;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Hand-written scanners rather than one regular expression: they run for every date and timestamp field of every
// message, and matching with capture groups then converting each group cost several times more.

/** The value of the `n` ASCII digits at `i`, or -1 when one of them is not a digit (or past the end). */
function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Days since the epoch of the `YYYY-MM-DD` at the start of `s`: NaN when it is shaped like a date but is not a real
 * one (years 0001–9999), undefined when it is not shaped like a date.
 */
function scanDate(s: string): number | undefined {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const y = digitsAt(s, 0, 4);
  const m = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  if (y < 0 || m < 0 || d < 0) return undefined;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  return daysFromCivil(y, m, d);
}

/** Days since 1970-01-01 of `YYYY-MM-DD`, or the problem text. */
export function parseDate(text: string): number | string {
  const days = text.length === 10 ? scanDate(text) : undefined;
  if (days === undefined) return NOT_A_DATE;
  return Number.isNaN(days) ? NOT_A_REAL_DATE : days;
}

/** UTC milliseconds of an RFC 3339 / ISO 8601 timestamp (see the module doc), or the problem text. */
export function parseTimestamp(text: string): number | string {
  const ms = scanTimestamp(text);
  return typeof ms === 'number' ? storableMs(ms) : ms;
}

function scanTimestamp(s: string): number | string {
  const days = s.length >= 16 ? scanDate(s) : undefined;
  const sep = s.charCodeAt(10);
  if (days === undefined || !(sep === 84 || sep === 116 || sep === 32) || s.charCodeAt(13) !== 58) {
    return NOT_A_TIMESTAMP;
  }
  const h = digitsAt(s, 11, 2);
  const min = digitsAt(s, 14, 2);
  let sec = 0;
  let ms = 0;
  let i = 16;
  if (s.charCodeAt(i) === 58) {
    sec = digitsAt(s, i + 1, 2);
    i += 3;
    if (s.charCodeAt(i) === 46) {
      const start = ++i;
      while (digitsAt(s, i, 1) >= 0) i++;
      ms = i > start ? fractionMs(s, start, i) : -1;
    }
  }
  const offset = scanZone(s, i);
  if (h < 0 || min < 0 || sec < 0 || ms < 0 || offset === undefined) return NOT_A_TIMESTAMP;
  if (Number.isNaN(days) || h > 23 || min > 59 || sec > 59 || Number.isNaN(offset)) return NOT_A_REAL_TIME;
  return days * DAY_MS + ((h * 60 + min - offset) * 60 + sec) * 1000 + ms;
}

/** Milliseconds of the fraction digits in `s[start, end)`: the first three, padded; the rest truncated. */
function fractionMs(s: string, start: number, end: number): number {
  let ms = 0;
  for (let k = start; k < start + 3; k++) ms = ms * 10 + (k < end ? s.charCodeAt(k) - 48 : 0);
  return ms;
}

/**
 * Minutes east of UTC of the zone from `i` to the end of `s`: 0 for none (naive = UTC) or `Z`; NaN for an
 * impossible offset; undefined when it is not a zone.
 */
function scanZone(s: string, i: number): number | undefined {
  if (i === s.length) return 0;
  const c = s.charCodeAt(i);
  if (c === 90 || c === 122) return i + 1 === s.length ? 0 : undefined;
  if (c !== 43 && c !== 45) return undefined;
  const h = digitsAt(s, i + 1, 2);
  const rest = s.length - (i + 3);
  let m = 0;
  if (rest === 3 && s.charCodeAt(i + 3) === 58) m = digitsAt(s, i + 4, 2);
  else if (rest === 2) m = digitsAt(s, i + 3, 2);
  else if (rest !== 0) return undefined;
  if (h < 0 || m < 0) return undefined;
  if (h > 23 || m > 59) return NaN;
  return (c === 45 ? -1 : 1) * (h * 60 + m);
}

/** `ms` itself when it lies in years 0001–9999, else the problem text. */
export function storableMs(ms: number): number | string {
  return ms >= MIN_MS && ms <= MAX_MS ? ms : 'must lie between years 0001 and 9999';
}
