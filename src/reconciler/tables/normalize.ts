/**
 * Normal forms for what information_schema reports, so that MySQL 8 and MariaDB describe the same table the same
 * way and a freshly created table re-plans to nothing (pure). Also the widening rule that decides whether a column
 * change can lose data.
 */

const INT_WIDTH = /^(tinyint|smallint|mediumint|int|bigint)\(\d+\)/;

/**
 * `int(11)` → `int`, `bigint(20) unsigned` → `bigint unsigned`, but `tinyint(1)` (boolean) stays. MariaDB stores
 * JSON as `longtext` with a `utf8mb4_bin` collation and a json_valid check: that is `json`.
 */
export function normalizeColumnType(columnType: string, collation: string | null = null): string {
  const t = columnType.toLowerCase().trim();
  if (t === 'longtext' && collation === 'utf8mb4_bin') return 'json';
  if (t.startsWith('tinyint(1)')) return t;
  return t.replace(INT_WIDTH, '$1');
}

const TEXT_TYPE = /^(char|varchar|tinytext|text|mediumtext|longtext)\b/;

/**
 * The collation of a string column as information_schema reports it; null for other types, JSON included (MariaDB
 * reports its `longtext` with `utf8mb4_bin`, MySQL none).
 */
export function normalizeCollation(normalType: string, collation: string | null): string | null {
  return TEXT_TYPE.test(normalType) ? collation : null;
}

/** `current_timestamp()` / `CURRENT_TIMESTAMP` → `current_timestamp`; MariaDB's literal `NULL` → null. */
export function normalizeDefault(value: string | null): string | null {
  if (value === null || value.toUpperCase() === 'NULL') return null;
  return value.toLowerCase().replace(/current_timestamp\(\)/g, 'current_timestamp');
}

/** Drops MySQL's `DEFAULT_GENERATED` marker and MariaDB's `()`; empty → null. */
export function normalizeExtra(value: string | null): string | null {
  const v = (value ?? '')
    .toLowerCase()
    .replace(/default_generated/g, '')
    .replace(/current_timestamp\(\)/g, 'current_timestamp')
    .trim();
  return v === '' ? null : v;
}

const TEXT_RANK: Record<string, number> = { text: 1, mediumtext: 2, longtext: 3 };
const TEXT_MIN_CHARS = 16383;

/**
 * True when every value of type `from` fits type `to` unchanged: longer strings, bigger integers, float → double,
 * more digits on both sides of a decimal point, date → datetime. Anything else may lose data.
 */
export function isWidening(from: string, to: string): boolean {
  if (from === to) return true;
  const a = parseType(from);
  const b = parseType(to);
  if (a.base === 'varchar' && b.base === 'varchar') return (b.args[0] ?? 0) >= (a.args[0] ?? 0);
  if (a.base === 'varchar' && TEXT_RANK[b.base])
    return b.base !== 'text' || (a.args[0] ?? 0) <= TEXT_MIN_CHARS;
  if (TEXT_RANK[a.base] && TEXT_RANK[b.base]) return (TEXT_RANK[b.base] ?? 0) >= (TEXT_RANK[a.base] ?? 0);
  if (a.base === 'decimal' && b.base === 'decimal') return decimalWidens(a.args, b.args);
  return (
    (a.base === 'int' && b.base === 'bigint') ||
    (a.base === 'float' && b.base === 'double') ||
    (a.base === 'date' && b.base === 'datetime')
  );
}

function decimalWidens([p1 = 10, s1 = 0]: number[], [p2 = 10, s2 = 0]: number[]): boolean {
  return s2 >= s1 && p2 - s2 >= p1 - s1;
}

function parseType(t: string): { base: string; args: number[] } {
  const m = /^([a-z]+)(?:\(([\d,\s]+)\))?/.exec(t);
  return { base: m?.[1] ?? t, args: (m?.[2] ?? '').split(',').filter(Boolean).map(Number) };
}
