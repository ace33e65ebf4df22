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

/** Years outside 0001–9999 cannot be stored by MySQL DATE/DATETIME nor written with four digits. */
export const MIN_MS = daysFromCivil(1, 1, 1) * 86_400_000;
export const MAX_MS = (daysFromCivil(9999, 12, 31) + 1) * 86_400_000 - 1;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

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

/** Days since the epoch of a real calendar date (year 0001–9999), or undefined. */
function calendarDays(y: string, m: string, d: string): number | undefined {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

/** Days since 1970-01-01 of `YYYY-MM-DD`, or the problem text. */
export function parseDate(text: string): number | string {
  const m = DATE.exec(text);
  if (!m) return 'must be a date YYYY-MM-DD';
  return calendarDays(m[1] ?? '', m[2] ?? '', m[3] ?? '') ?? 'must be a real calendar date (years 0001-9999)';
}

/** UTC milliseconds of an RFC 3339 / ISO 8601 timestamp (see the module doc), or the problem text. */
export function parseTimestamp(text: string): number | string {
  const m = TIMESTAMP.exec(text);
  if (!m) return 'must be an RFC 3339 timestamp or integer epoch milliseconds';
  const days = calendarDays(m[1] ?? '', m[2] ?? '', m[3] ?? '');
  const h = Number(m[4]);
  const min = Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const offset = offsetMinutes(m[8], m[9], m[10], m[11]);
  if (days === undefined || h > 23 || min > 59 || s > 59 || offset === undefined) {
    return 'must be a real date and time';
  }
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return storableMs(days * 86_400_000 + ((h * 60 + min - offset) * 60 + s) * 1000 + ms);
}

/** Minutes east of UTC; 0 for `Z` or no zone (naive = UTC); undefined for an impossible offset. */
function offsetMinutes(
  z: string | undefined,
  sign: string | undefined,
  hh: string | undefined,
  mm: string | undefined,
): number | undefined {
  if (z !== undefined || sign === undefined) return 0;
  const h = Number(hh);
  const m = mm === undefined ? 0 : Number(mm);
  if (h > 23 || m > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (h * 60 + m);
}

/** `ms` itself when it lies in years 0001–9999, else the problem text. */
export function storableMs(ms: number): number | string {
  return ms >= MIN_MS && ms <= MAX_MS ? ms : 'must lie between years 0001 and 9999';
}
