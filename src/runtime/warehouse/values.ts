/**
 * Decoded values → SQL parameters for the warehouse sink (pure). Every value is sent in a form MySQL converts
 * exactly: timestamps as `'YYYY-MM-DD HH:MM:SS.mmm'` (UTC, for DATETIME(3), which stores no time zone), dates as
 * `'YYYY-MM-DD'`, bigints and decimals as decimal strings (never through a JS float), booleans as 1/0, JSON as its
 * text. A value JS cannot render for MySQL (a time outside years 1..9999, a non-finite float) throws
 * {@link ValueRejected}: the sink turns it into a `write` rejection without sending it.
 */
import type { FieldSpec, FieldType } from '../../feeds/types.js';
import type { DecodedRecord, FieldValue } from '../record.js';

/** One SQL parameter as mysql2 binds it. */
export type SqlValue = string | number | null;

/** A value that cannot be stored; `errorClass` is the DecodeFailure class. */
export class ValueRejected extends Error {
  readonly errorClass: string;

  constructor(errorClass: string, message: string) {
    super(message);
    this.name = 'ValueRejected';
    this.errorClass = errorClass;
  }
}

const MS_PER_DAY = 86_400_000;
/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the DATETIME/DATE range with four-digit years. */
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_402_300_799_999;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * `'YYYY-MM-DD'` of a day number, proleptic Gregorian (H. Hinnant's civil_from_days). Arithmetic instead of
 * `Date#toISOString`, which cost ~2 µs a call, a third of the sink's CPU; the last day is memoized because
 * consecutive records mostly share it.
 */
function civilDate(days: number): string {
  if (days === lastDay) return lastDate;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  lastDay = days;
  lastDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(doy - Math.floor((153 * mp + 2) / 5) + 1, 2)}`;
  return lastDate;
}
let lastDay = Number.NaN;
let lastDate = '';

/** `'YYYY-MM-DD HH:MM:SS.mmm'` in UTC for ms since the epoch (fractions of a ms are dropped). */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) {
    throw new ValueRejected('OutOfRange', `time ${ms} ms is outside years 1..9999`);
  }
  const t = Math.floor(ms);
  const days = Math.floor(t / MS_PER_DAY);
  const rem = t - days * MS_PER_DAY;
  const h = Math.floor(rem / 3_600_000);
  const m = Math.floor(rem / 60_000) % 60;
  const sec = Math.floor(rem / 1000) % 60;
  return `${civilDate(days)} ${pad(h, 2)}:${pad(m, 2)}:${pad(sec, 2)}.${pad(rem % 1000, 3)}`;
}

/** `'YYYY-MM-DD'` for days since 1970-01-01. */
export function formatDate(days: number): string {
  return formatTimestamp(days * MS_PER_DAY).slice(0, 10);
}

function finite(v: number): number {
  if (!Number.isFinite(v)) throw new ValueRejected('OutOfRange', `${v} is not a finite number`);
  return v;
}

/** Converts one non-null value of a field type (representation: see src/runtime/record.ts). */
export function sqlValue(type: FieldType, v: Exclude<FieldValue, null>): SqlValue {
  switch (type.kind) {
    case 'timestamp':
      return formatTimestamp(v as number);
    case 'date':
      return formatDate(v as number);
    case 'bigint':
      return (v as bigint).toString();
    case 'boolean':
      return v ? 1 : 0;
    case 'float':
    case 'double':
      return finite(v as number);
    case 'int':
      return v as number;
    case 'string':
    case 'decimal':
    case 'json':
      return v as string;
  }
}

/** What a row carries besides the fields: the snapshot it belongs to. */
export interface RowContext {
  /** 0 for streams; the snapshot number for table feeds. */
  snapshotVersion: number;
  /** Table feeds: the version's snapshot date (a day number); null: the UTC date of the event time. */
  snapshotDate?: number | null;
}

/**
 * The parameters of one row, in the column order of src/runtime/warehouse/sql.ts: the fields, then
 * `snapshot_date, snapshot_version, _event_time, _kafka_partition, _kafka_offset`. Throws {@link ValueRejected}.
 */
export function rowValues(fields: readonly FieldSpec[], r: DecodedRecord, ctx: RowContext): SqlValue[] {
  const out: SqlValue[] = new Array<SqlValue>(fields.length + 5);
  for (let i = 0; i < fields.length; i++) {
    const v = r.values[i];
    out[i] = v === null || v === undefined ? null : sqlValue((fields[i] as FieldSpec).type, v);
  }
  const eventTime = formatTimestamp(r.eventTimeMs);
  const date = ctx.snapshotDate ?? null;
  out[fields.length] = date === null ? eventTime.slice(0, 10) : formatDate(date);
  out[fields.length + 1] = ctx.snapshotVersion;
  out[fields.length + 2] = eventTime;
  out[fields.length + 3] = r.partition;
  out[fields.length + 4] = r.offset;
  return out;
}
