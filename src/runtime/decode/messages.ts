/**
 * ajv errors → one line for the dead-letter header (pure): `path: problem (got value)`, at most
 * {@link MAX_PROBLEMS} problems joined by `; `, e.g.
 * `/amount: must have at most 2 decimal places, feedctl does not round (got "12.345"); /at: is required`.
 */
import type { ErrorObject } from 'ajv';
import { compactJson, jsonKind } from './json.js';

export const MAX_PROBLEMS = 3;
/** Longest excerpt of an offending value quoted in a message. */
const PREVIEW_CHARS = 40;

/** The one-line message of a failed validation. */
export function formatProblems(errors: readonly ErrorObject[]): string {
  const shown = errors.slice(0, MAX_PROBLEMS).map(describe);
  const more = errors.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'required') return `${e.instancePath}/${String(e.params.missingProperty)}: is required`;
  const path = e.instancePath || '/';
  if (e.data === null) return `${path}: must not be null`;
  switch (e.keyword) {
    case 'type': {
      // Only string and boolean fields use ajv's `type` (with `null` second when nullable).
      const expected = String(e.params.type).split(',')[0];
      const text = expected === 'boolean' ? 'must be true or false' : `must be a ${expected}`;
      return `${path}: ${text} (got ${preview(e.data)})`;
    }
    case 'maxLength':
      return `${path}: must be at most ${String(e.params.limit)} characters (got ${[...String(e.data)].length})`;
    default:
      return `${path}: ${e.message ?? e.keyword} (got ${preview(e.data)})`;
  }
}

/** Compact JSON of a value, cut to {@link PREVIEW_CHARS} characters (code points, never half a pair). */
function preview(v: unknown): string {
  // Cut before splitting (a huge value): 2 units per code point, +2 so a longer text keeps its ellipsis.
  const chars = [...previewText(v).slice(0, 2 * PREVIEW_CHARS + 2)];
  return chars.length <= PREVIEW_CHARS ? chars.join('') : `${chars.slice(0, PREVIEW_CHARS - 1).join('')}…`;
}

function previewText(v: unknown): string {
  // JSON.parse turns `1e400` into Infinity, which JSON would print as null.
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  try {
    return compactJson(v);
  } catch {
    return jsonKind(v); // nested too deeply to serialize on this stack
  }
}
