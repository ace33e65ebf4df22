/**
 * Batches → statement-sized chunks of converted rows (pure). Records whose values cannot be rendered for MySQL
 * are rejected here, before any SQL; the rest keep their batch order, which the out-of-order guard relies on only
 * for ties (see sql.ts).
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

/** Converts every record of the batches, in order. */
export function prepareRows(
  fields: readonly FieldSpec[],
  batches: readonly { records: readonly DecodedRecord[] }[],
  ctx: RowContext,
): { rows: PreparedRow[]; rejected: RejectedRecord[] } {
  const rows: PreparedRow[] = [];
  const rejected: RejectedRecord[] = [];
  for (const b of batches) {
    for (const record of b.records) {
      try {
        rows.push({ record, values: rowValues(fields, record, ctx) });
      } catch (err) {
        if (!(err instanceof ValueRejected)) throw err;
        rejected.push({
          record,
          failure: { stage: 'write', errorClass: err.errorClass, message: err.message },
        });
      }
    }
  }
  return { rows, rejected };
}

function estimatedBytes(values: readonly SqlValue[]): number {
  let n = 0;
  for (const v of values) n += typeof v === 'string' ? v.length * 3 + 3 : 24;
  return n;
}

/** Consecutive chunks of at most `maxRows` rows and (unless one row alone exceeds it) `maxBytes`. */
export function chunkRows(
  rows: readonly PreparedRow[],
  maxRows = MAX_CHUNK_ROWS,
  maxBytes = MAX_CHUNK_BYTES,
): PreparedRow[][] {
  const chunks: PreparedRow[][] = [];
  let current: PreparedRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = estimatedBytes(row.values);
    if (current.length > 0 && (current.length >= maxRows || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
