/**
 * Identifier rules for every name a manifest declares. Names end up in SQL (tables, columns, roles), in Kafka
 * (topics) and in lake paths (feed names), so each kind accepts only a small, safe alphabet: nothing that could
 * quote, comment, separate statements or walk a path. The JSON Schema (schema.ts) uses the same patterns and
 * limits; the loader re-checks every normalized name with {@link nameProblem}.
 */
import { LATEST_VIEW_SUFFIX } from '../shape.js';
import { isReservedWord } from './reserved-words.js';

export type NameKind = 'feed' | 'topic' | 'table' | 'column' | 'role' | 'labelKey';

/** The rule for one kind of name. Invariant: `pattern` is anchored and matches only printable ASCII. */
export interface NameRule {
  pattern: RegExp;
  /** One allowed character; used to point at the first offending one. */
  allowedChar: RegExp;
  maxLength: number;
  /** Why the limit is what it is, for the length message. */
  maxLengthReason: string;
  /** Completes `<path> "<value>" …` when the pattern does not match. */
  hint: string;
  /** Names analysts type in SQL: MySQL reserved words are refused. */
  sqlIdentifier: boolean;
}

const SQL_HINT = 'is not a safe name: use lower-case letters, digits and underscores, starting with a letter';
const SQL_CHAR = /[a-z0-9_]/;
const SQL_NAME = /^[a-z][a-z0-9_]*$/;
/** MySQL's identifier limit (tables, views, columns). */
const MYSQL_IDENTIFIER_MAX = 64;

export const NAME_RULES: Readonly<Record<NameKind, NameRule>> = {
  feed: {
    pattern: SQL_NAME,
    allowedChar: SQL_CHAR,
    maxLength: 64,
    maxLengthReason: 'the registry and MySQL limit',
    hint: SQL_HINT,
    sqlIdentifier: false,
  },
  topic: {
    pattern: /^(?!__)(?!\.$)(?!.*\.\.)[a-zA-Z0-9._-]+$/,
    allowedChar: /[a-zA-Z0-9._-]/,
    maxLength: 249,
    maxLengthReason: "Kafka's limit",
    hint:
      "is not a valid Kafka topic name: use letters, digits, '.', '_' and '-', " +
      "without '..' and not starting with '__' (Kafka's internal topics)",
    sqlIdentifier: false,
  },
  table: {
    pattern: SQL_NAME,
    allowedChar: SQL_CHAR,
    // Every table, so that a stream feed turned into a table feed keeps a name whose `<table>_latest` view fits.
    maxLength: MYSQL_IDENTIFIER_MAX - LATEST_VIEW_SUFFIX.length,
    maxLengthReason: `MySQL allows ${MYSQL_IDENTIFIER_MAX}, minus room for the "${LATEST_VIEW_SUFFIX}" view`,
    hint: SQL_HINT,
    sqlIdentifier: true,
  },
  column: {
    pattern: /^[a-z_][a-z0-9_]*$/,
    allowedChar: SQL_CHAR,
    maxLength: 64,
    maxLengthReason: "MySQL's identifier limit",
    hint: SQL_HINT,
    sqlIdentifier: true,
  },
  role: {
    pattern: SQL_NAME,
    allowedChar: SQL_CHAR,
    maxLength: 32,
    maxLengthReason: "MySQL's account-name limit",
    hint: SQL_HINT,
    sqlIdentifier: true,
  },
  labelKey: {
    pattern: /^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$/,
    allowedChar: /[a-z0-9._/-]/,
    maxLength: 63,
    maxLengthReason: 'the Kubernetes label-key limit',
    hint: "is not a valid label key: use lower-case letters, digits, '.', '_', '-' and '/', starting and ending with a letter or digit",
    sqlIdentifier: false,
  },
};

/** Key fields get an index `idx_<field>`, which must fit MySQL's 64-character limit. */
export const KEY_FIELD_MAX_LENGTH = 60;

/** Why `value` is not an acceptable name of this kind (completing `<path> "<value>" …`), or null when it is. */
export function nameProblem(kind: NameKind, value: string): string | null {
  const rule = NAME_RULES[kind];
  if (!rule.pattern.test(value)) return patternProblem(rule, value);
  if (value.length > rule.maxLength) return lengthProblem(rule, value);
  if (rule.sqlIdentifier && isReservedWord(value)) {
    return 'is a MySQL reserved word: analysts would have to quote it in every query; choose another name';
  }
  return null;
}

/** The pattern hint, naming the first offending character when there is one. */
export function patternProblem(rule: NameRule, value: string): string {
  if (value === '') return 'must not be empty';
  const bad = [...value].find((c) => !rule.allowedChar.test(c));
  if (bad !== undefined) return `${rule.hint} (found ${describeChar(bad)})`;
  if (value.includes('..')) return `${rule.hint} (found "..")`;
  return rule.hint;
}

/** The length message for a name over its kind's limit. */
export function lengthProblem(rule: NameRule, value: string): string {
  return `is ${value.length} characters long; at most ${rule.maxLength} are allowed (${rule.maxLengthReason})`;
}

/**
 * The rule of a schema node, by its pattern source and maxLength (how schema errors are traced back to a kind of
 * name; kinds sharing a pattern differ in their limit).
 */
export function ruleForSchema(pattern: unknown, maxLength: unknown): NameRule | undefined {
  const rules = Object.values(NAME_RULES).filter((r) => r.pattern.source === pattern);
  return rules.find((r) => r.maxLength === maxLength) ?? rules[0];
}

function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  if (c === '\0') return 'a NUL character';
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0')}`;
  if (code > 0x7e) return `non-ASCII ${JSON.stringify(c)}`;
  return JSON.stringify(c);
}
