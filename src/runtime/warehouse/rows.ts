/**
 * Batches → statement-sized chunks of converted rows. Records whose values cannot be rendered for MySQL are
 * rejected here, before any SQL; the rest keep their batch order, so versions of one key apply oldest first.
 */
import type { FieldSpec } from '../../feeds/types.js';
import type { DecodeFailure, DecodedRecord } from '../record.js';
import { MAX_CHUNK_ROWS } from './sql.js';
import { rowValues, ValueRejected, type RowContext, type SqlValue } from './values.js';

/** A record the sink did not store, and why; the caller sends it to the dead-letter topic. */
export interface RejectedRecord {
  record: DecodedRecord;
  failure: DecodeFailure;
}

/** A record with its SQL parameters (see values.ts rowValues for the order). */
export interface PreparedRow {
  record: DecodedRecord;
  values: SqlValue[];
}

/**
 * Estimated statement bytes per chunk: 3 bytes per UTF-16 unit plus quoting, far below MySQL's 16 MiB
 * max_allowed_packet default even for escaped binary-looking text. Only wide text rows ever reach it.
 */
export const MAX_CHUNK_BYTES = 2 * 1024 * 1024;

function estimatedBytes(values: readonly SqlValue[]): number {
  let n = 0;
  for (const v of values) n += typeof v === 'string' ? v.length * 3 + 3 : 24;
  return n;
}

/**
 * Converts the batches' records, in order, into consecutive chunks of at most `maxRows` rows and (unless one row
 * alone exceeds it) `maxBytes`. Lazy: a chunk is converted when it is pulled, so the sink converts chunk k+1 while
 * the server runs chunk k. Records that cannot be converted are appended to `rejected` as they are met.
 */
export function preparedChunks(
  fields: readonly FieldSpec[],
  batches: readonly { records: readonly DecodedRecord[] }[],
  ctx: RowContext,
  rejected: RejectedRecord[],
  maxRows = MAX_CHUNK_ROWS,
  maxBytes = MAX_CHUNK_BYTES,
): Generator<PreparedRow[]> {
  return chunked(converted(fields, batches, ctx, rejected), maxRows, maxBytes);
}

/** Every record converted at once (the bulk path's input); rejections are appended to `rejected`. */
export function preparedRows(
  fields: readonly FieldSpec[],
  batches: readonly { records: readonly DecodedRecord[] }[],
  ctx: RowContext,
  rejected: RejectedRecord[],
): PreparedRow[] {
  return [...converted(fields, batches, ctx, rejected)];
}

/** The records converted lazily, in order; those that cannot be are appended to `rejected` as they are met. */
function* converted(
  fields: readonly FieldSpec[],
  batches: readonly { records: readonly DecodedRecord[] }[],
  ctx: RowContext,
  rejected: RejectedRecord[],
): Generator<PreparedRow> {
  for (const b of batches) {
    for (const record of b.records) {
      let values: SqlValue[];
      try {
        values = rowValues(fields, record, ctx);
      } catch (err) {
        if (!(err instanceof ValueRejected)) throw err;
        rejected.push({
          record,
          failure: { stage: 'write', errorClass: err.errorClass, message: err.message },
        });
        continue;
      }
      yield { record, values };
    }
  }
}

/** Consecutive statement-sized chunks of `rows` (see {@link preparedChunks}). */
export function* chunked(
  rows: Iterable<PreparedRow>,
  maxRows = MAX_CHUNK_ROWS,
  maxBytes = MAX_CHUNK_BYTES,
): Generator<PreparedRow[]> {
  let chunk: PreparedRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = estimatedBytes(row.values);
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + size > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
