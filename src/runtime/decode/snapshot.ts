/**
 * The snapshot contract on a table feed's messages (pure): an end marker is recognised by its `snapshot_end`
 * header before any decoding; a data record, once decoded, gets its version from the declared header or field and
 * its snapshot date from the optional `snapshot_date` header. Bad values become `snapshot` failures, dead-lettered
 * like any other bad message.
 */
import {
  MAX_SNAPSHOT_VERSION,
  SNAPSHOT_HEADERS,
  type FeedSpec,
  type SnapshotSpec,
} from '../../feeds/types.js';
import type { DecodedRecord, DecodeFailure, RawMessage, SnapshotTag } from '../record.js';
import { parseDate } from './time.js';

/** Tags messages of one table feed; null for streams. */
export interface SnapshotReader {
  /** The end marker this message is, a failure when it is a bad one, or null when it is not a marker. */
  marker(m: RawMessage): DecodedRecord | DecodeFailure | null;
  /** The decoded record with its snapshot tag, or the failure when its version or date is missing or bad. */
  tag(r: DecodedRecord, m: RawMessage): DecodedRecord | DecodeFailure;
}

export function snapshotReader(feed: FeedSpec): SnapshotReader | null {
  const spec = feed.snapshot;
  if (!spec) return null; // undefined in consumer rows written before table feeds ran
  const versionOf = versionSource(feed, spec);
  return {
    marker: readMarker,
    tag(r, m) {
      const version = versionOf(r, m);
      if (typeof version === 'string') return failure('MissingVersion', version);
      const dateText = header(m, SNAPSHOT_HEADERS.date);
      const date = dateText === undefined ? null : dayOf(dateText);
      if (date === null && dateText !== undefined) {
        return failure(
          'InvalidSnapshotDate',
          `header ${SNAPSHOT_HEADERS.date} is not a date (YYYY-MM-DD): ${show(dateText)}`,
        );
      }
      r.snapshot = { end: false, version, date };
      return r;
    },
  };
}

/** The end marker a message is, a failure for a bad one, or null when it is not a marker. */
function readMarker(m: RawMessage): DecodedRecord | DecodeFailure | null {
  const end = header(m, SNAPSHOT_HEADERS.end);
  if (end === undefined) return null;
  const version = positiveInt(end, MAX_SNAPSHOT_VERSION);
  if (version === null)
    return failure('InvalidMarker', `header ${SNAPSHOT_HEADERS.end} is not a version: ${show(end)}`);
  if (m.value !== null && m.value.length > 0) {
    return failure('InvalidMarker', `end marker of version ${version} has a value (it must be empty)`);
  }
  const rowsText = header(m, SNAPSHOT_HEADERS.rows);
  const rows = rowsText === undefined ? null : positiveInt(rowsText, Number.MAX_SAFE_INTEGER, 0);
  if (rowsText !== undefined && rows === null) {
    return failure('InvalidMarker', `header ${SNAPSHOT_HEADERS.rows} is not a row count: ${show(rowsText)}`);
  }
  const tag: SnapshotTag = { end: true, version, rows };
  return {
    partition: m.partition,
    offset: m.offset,
    timestampMs: m.timestampMs,
    eventTimeMs: m.timestampMs,
    values: [],
    snapshot: tag,
  };
}

/** The version of a decoded record, or why it has none. */
function versionSource(
  feed: FeedSpec,
  spec: SnapshotSpec,
): (r: DecodedRecord, m: RawMessage) => number | string {
  const { source, name } = spec.version;
  if (source === 'header') {
    return (_r, m) => {
      const text = header(m, name);
      if (text === undefined) return `no ${name} header: a table feed's records carry their snapshot version`;
      return (
        positiveInt(text, MAX_SNAPSHOT_VERSION) ??
        `header ${name} is not a version (1..${MAX_SNAPSHOT_VERSION}): ${show(text)}`
      );
    };
  }
  const index = feed.schema.fields.findIndex((f) => f.name === name);
  return (r) => {
    const v = r.values[index];
    const n = typeof v === 'bigint' || typeof v === 'number' ? Number(v) : Number.NaN;
    const ok = Number.isSafeInteger(n) && n >= 1 && n <= MAX_SNAPSHOT_VERSION;
    return ok ? n : `field ${name} is not a version (1..${MAX_SNAPSHOT_VERSION}): ${String(v)}`;
  };
}

/** A header's value as text (the last one when sent several times), or undefined when absent. */
function header(m: RawMessage, name: string): string | undefined {
  const h = m.headers[name];
  const v = Array.isArray(h) ? h.at(-1) : h;
  return v === undefined ? undefined : v.toString();
}

function positiveInt(text: string, max: number, min = 1): number | null {
  if (!/^\d{1,16}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : null;
}

/** Days since 1970-01-01 of `YYYY-MM-DD` (a real date, years 0001–9999), or null. */
function dayOf(text: string): number | null {
  const day = parseDate(text.trim());
  return typeof day === 'number' ? day : null;
}

function show(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function failure(errorClass: string, message: string): DecodeFailure {
  return { stage: 'snapshot', errorClass, message };
}
