/**
 * How a feed field type maps to a MySQL column type, and the size limits that follow from it. Pure; shared by the
 * manifest validator (limits), the table reconciler (DDL, normalized comparison) and the warehouse sink.
 *
 * Column types are written in their normal form: lower case, no integer display width (`int`, not `int(11)`),
 * `tinyint(1)` for booleans, `json` for JSON (MariaDB reports it as `longtext`; see src/reconciler/tables/normalize.ts).
 */
import type { FieldCollation, FieldType } from './types.js';

/** The MySQL collation of `unicode_ci`: the runbook's table default, the same name on MariaDB and MySQL 8. */
export const UNICODE_CI_COLLATION = 'utf8mb4_unicode_ci';

/**
 * The MySQL collations of `exact`, in order of preference: binary and NO PAD (`'a' <> 'a '`). MariaDB (10.2+)
 * calls it `utf8mb4_nopad_bin`, MySQL (8.0.17+) `utf8mb4_0900_bin`; `utf8mb4_bin` pads with spaces on both.
 */
export const EXACT_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'] as const;

/** The collation a string field gets when its manifest sets none: key fields compare exactly. */
export function fieldCollation(explicit: FieldCollation | null, isKey: boolean): FieldCollation {
  return explicit ?? (isKey ? 'exact' : 'unicode_ci');
}

/** Longest `maxLength` stored as VARCHAR; longer strings become TEXT / MEDIUMTEXT (kept off the row-size limit). */
export const VARCHAR_MAX_CHARS = 1024;
/** TEXT holds 65,535 bytes: 16,383 four-byte characters. */
const TEXT_MAX_CHARS = 16383;
/** InnoDB's limit for one index key (DYNAMIC row format), in bytes. */
export const MAX_INDEX_KEY_BYTES = 3072;
/** MySQL's limit for the declared size of a row, in bytes (BLOB/TEXT count only their pointer). */
export const MAX_ROW_BYTES = 65535;
/** MySQL's DECIMAL limits. */
export const DECIMAL_MAX_PRECISION = 65;
export const DECIMAL_MAX_SCALE = 30;

/** The normalized MySQL column type of a field type. */
export function sqlColumnType(t: FieldType): string {
  switch (t.kind) {
    case 'string':
      if (t.maxLength === null) return 'mediumtext';
      if (t.maxLength <= VARCHAR_MAX_CHARS) return `varchar(${t.maxLength})`;
      return t.maxLength <= TEXT_MAX_CHARS ? 'text' : 'mediumtext';
    case 'int':
      return 'int';
    case 'bigint':
      return 'bigint';
    case 'float':
      return 'float';
    case 'double':
      return 'double';
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'boolean':
      return 'tinyint(1)';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'datetime(3)';
    case 'json':
      return 'json';
  }
}

/**
 * Bytes a column takes in an index key, or undefined when it cannot be indexed whole (TEXT, JSON).
 * utf8mb4 reserves four bytes per character.
 */
export function indexKeyBytes(t: FieldType): number | undefined {
  switch (t.kind) {
    case 'string':
      return t.maxLength !== null && t.maxLength <= VARCHAR_MAX_CHARS ? t.maxLength * 4 + 2 : undefined;
    case 'json':
      return undefined;
    default:
      return fixedBytes(t);
  }
}

/** Bytes a column counts toward MySQL's 65,535-byte declared row size. */
export function rowBytes(t: FieldType): number {
  if (t.kind === 'string') {
    return t.maxLength !== null && t.maxLength <= VARCHAR_MAX_CHARS ? t.maxLength * 4 + 2 : 12;
  }
  if (t.kind === 'json') return 12;
  return fixedBytes(t);
}

function fixedBytes(t: Exclude<FieldType, { kind: 'string' } | { kind: 'json' }>): number {
  switch (t.kind) {
    case 'int':
    case 'float':
      return 4;
    case 'bigint':
    case 'double':
      return 8;
    case 'decimal':
      return decimalBytes(t.precision, t.scale);
    case 'boolean':
      return 1;
    case 'date':
      return 3;
    case 'timestamp':
      return 7;
  }
}

/** MySQL packs 9 decimal digits in 4 bytes, on each side of the point. */
function decimalBytes(precision: number, scale: number): number {
  const BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];
  const part = (digits: number) => Math.floor(digits / 9) * 4 + (BYTES[digits % 9] ?? 4);
  return part(precision - scale) + part(scale);
}
