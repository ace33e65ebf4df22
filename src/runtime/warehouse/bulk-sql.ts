/**
 * The warehouse sink's bulk path, as SQL and data (pure): `LOAD DATA LOCAL INFILE` of a TSV into a session
 * temporary table, then one guarded `INSERT … SELECT … ON DUPLICATE KEY UPDATE` into the feed's table.
 *
 * The temporary table (`CREATE TEMPORARY TABLE … SELECT … WHERE FALSE`) copies each column's type, length,
 * nullability and collation from the feed's table, but no keys, defaults or CHECK constraints. Its columns are
 * renamed `c0, c1, …` so that the upsert's ON DUPLICATE KEY UPDATE clause (whose unqualified names would otherwise
 * be ambiguous between the two tables) is the multi-row path's, byte for byte: the same out-of-order guard
 * (sql.ts). Its primary key `_feedctl_seq` is the row's position in the write, and the upsert reads in that order,
 * so several versions of a key in one write apply oldest first, as in the multi-row path.
 *
 * The TSV uses LOAD DATA's defaults (fields by tab, lines by newline, `\` escapes): `\` → `\\`, tab → `\t`,
 * newline → `\n`, carriage return → `\r`, NUL → `\0`, NULL → `\N`; the text is UTF-8, loaded `CHARACTER SET
 * utf8mb4`. Values are the multi-row path's parameters (values.ts), so decimals and bigints stay exact strings.
 */
import { quoteIdent } from '../../sql/ident.js';
import type { UpsertTemplate } from './sql.js';
import type { SqlValue } from './values.js';

/** The sequence column of the temporary table. */
export const SEQ_COLUMN = '_feedctl_seq';

/** The statements of one feed table's bulk path, rendered once per sink. */
export interface BulkTemplate {
  /** The session temporary table. */
  temp: string;
  create: string;
  drop: string;
  truncate: string;
  /** `LOAD DATA LOCAL INFILE` of the TSV ({@link tsv}) into the temporary table. */
  load: string;
  /** The guarded upsert from the temporary table into the feed's table. */
  upsert: string;
}

/** `feedctl_load_<table>`, cut to MySQL's 64-character identifiers. */
export function tempTableName(table: string): string {
  return `feedctl_load_${table}`.slice(0, 64);
}

export function bulkTemplate(t: UpsertTemplate): BulkTemplate {
  const temp = quoteIdent(tempTableName(t.table));
  const seq = quoteIdent(SEQ_COLUMN);
  const renamed = t.columns.map((_, i) => `c${i}`);
  const copies = t.columns.map((c, i) => `${quoteIdent(c)} AS ${renamed[i]}`).join(', ');
  return {
    temp: tempTableName(t.table),
    create:
      `CREATE TEMPORARY TABLE ${temp} (${seq} INT UNSIGNED NOT NULL DEFAULT 0 PRIMARY KEY) ENGINE=InnoDB` +
      ` SELECT ${copies} FROM ${quoteIdent(t.table)} WHERE FALSE`,
    drop: `DROP TEMPORARY TABLE IF EXISTS ${temp}`,
    truncate: `TRUNCATE TABLE ${temp}`,
    load:
      `LOAD DATA LOCAL INFILE 'feedctl.tsv' INTO TABLE ${temp} CHARACTER SET utf8mb4` +
      ` FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${seq}, ${renamed.join(', ')})`,
    upsert:
      `INSERT INTO ${quoteIdent(t.table)} (${t.columns.map(quoteIdent).join(', ')})` +
      ` SELECT ${renamed.join(', ')} FROM ${temp} ORDER BY ${seq}` +
      t.tail,
  };
}

const SPECIAL = /[\\\t\n\r\0]/;
const SPECIAL_ALL = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

/** One value as a TSV field. */
export function tsvField(v: SqlValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ESCAPES[c] as string) : v;
}

/** The TSV of rows numbered from 1 in order (the first field is the sequence), as UTF-8. */
export function tsv(rows: readonly (readonly SqlValue[])[]): Buffer {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as readonly SqlValue[];
    let line = String(i + 1);
    for (const v of r) line += '\t' + tsvField(v);
    lines[i] = line;
  }
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}
