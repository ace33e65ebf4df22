/**
 * The `--field name:type[?]` flag of `feedctl new` (pure). `type` is one of: string, string(<length>), int, bigint,
 * float, double, decimal(<precision>,<scale>), boolean, date, timestamp, json; a trailing `?` makes the field
 * nullable. A plain `string` gets maxLength 255 (a bounded, indexable VARCHAR) with a note to adjust it.
 */
import { FeedctlError } from '../errors.js';
import type { FieldType } from '../feeds/types.js';
import type { FieldDraft } from './draft.js';
import { MAX_PRECISION } from './infer-value.js';

const SPEC = /^([^:\s]+):([a-z]+)(?:\((\d+)(?:,(\d+))?\))?(\?)?$/;
const SIMPLE = ['int', 'bigint', 'float', 'double', 'boolean', 'date', 'timestamp', 'json'] as const;
const SYNTAX =
  'expected name:type[?] with type string, string(<length>), int, bigint, float, double, decimal(<precision>,<scale>), boolean, date, timestamp or json';
/** maxLength of a `string` without a length. */
export const DEFAULT_STRING_LENGTH = 255;

/** One `--field` flag as a field draft; a bad spec is a VALIDATION_FAILED error naming it. */
export function parseFieldSpec(spec: string): FieldDraft {
  const m = SPEC.exec(spec.replace(/\s+/g, ''));
  const type = m ? fieldType(m[2] as string, m[3], m[4]) : undefined;
  if (!m || typeof type === 'string' || type === undefined) {
    const why = typeof type === 'string' ? type : SYNTAX;
    throw new FeedctlError('VALIDATION_FAILED', why, { subsystem: 'new', action: 'read --field', id: spec });
  }
  const name = m[1] as string;
  const unbounded = m[2] === 'string' && m[3] === undefined;
  return {
    name,
    type,
    nullable: m[5] === '?',
    ...(unbounded ? { note: `maxLength ${DEFAULT_STRING_LENGTH} by default: adjust it` } : {}),
  };
}

/** The type, or why the spec is wrong. */
function fieldType(
  kind: string,
  a: string | undefined,
  b: string | undefined,
): FieldType | string | undefined {
  if ((SIMPLE as readonly string[]).includes(kind)) {
    return a === undefined ? ({ kind } as FieldType) : `${kind} takes no length or precision`;
  }
  if (kind === 'string') {
    if (b !== undefined) return 'string takes one length: string(<length>)';
    const maxLength = a === undefined ? DEFAULT_STRING_LENGTH : Number(a);
    return maxLength >= 1 ? { kind: 'string', maxLength } : 'a string length must be at least 1';
  }
  if (kind === 'decimal') {
    if (a === undefined || b === undefined)
      return 'decimal needs a precision and a scale: decimal(<precision>,<scale>)';
    const precision = Number(a);
    const scale = Number(b);
    if (precision < 1 || precision > MAX_PRECISION)
      return `decimal precision must be from 1 to ${MAX_PRECISION}`;
    if (scale > precision) return 'decimal scale must not exceed its precision';
    return { kind: 'decimal', precision, scale };
  }
  return undefined;
}
