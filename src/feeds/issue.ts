/**
 * A problem found in one manifest, located by data path rather than by line: schema validation, semantic checks
 * and cross-file checks produce these; the loader turns them into {@link Diagnostic}s with positions.
 */
import type { Diagnostic } from '../errors.js';

/** A path into the manifest data: object keys and array indexes, e.g. `['spec', 'schema', 'fields', 2, 'name']`. */
export type Path = readonly (string | number)[];

export interface Issue {
  /**
   * Where the problem is. With several paths, the first one present in the file is used (for values that may be
   * derived, e.g. a default topic name); a path missing from the file falls back to its nearest present ancestor.
   */
  at: Path | readonly Path[];
  /** `value`: the offending value; `key`: the key naming it (unknown properties, missing required ones). */
  target: 'value' | 'key';
  message: string;
  severity: Diagnostic['severity'];
}

/** An error issue at a value. */
export function issueAt(at: Issue['at'], message: string, target: Issue['target'] = 'value'): Issue {
  return { at, target, message, severity: 'error' };
}

/** A warning issue at a value. */
export function warningAt(at: Issue['at'], message: string): Issue {
  return { at, target: 'value', message, severity: 'warning' };
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A path as people write it: `spec.schema.fields[2].name`, `spec.topic.configs["retention.ms"]`; root: `manifest`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? 'manifest' : out;
}

/** How a value reads in a message: strings quoted, numbers and booleans as is, collections by their kind. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}
