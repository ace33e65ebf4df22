/**
 * The warehouse sink's bulk path, as SQL and data (pure): `LOAD DATA LOCAL INFILE` of a TSV straight into the
 * feed's table (`IGNORE`: a row whose key is there already is skipped with a warning, and the sink then takes the
 * next path for that part), or into a session temporary table, then one guarded `INSERT … SELECT … ON DUPLICATE
 * KEY UPDATE` into the feed's table. Both read the same TSV: the direct load drops its sequence field into a
 * user variable.
 *
 * The temporary table (`CREATE TEMPORARY TABLE … SELECT … WHERE FALSE`), MEMORY when the feed's rows are
 * small and fixed-size (faster to fill than InnoDB's; emptied between parts), InnoDB otherwise, copies each column's type, length,
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
import type { FieldSpec } from '../../feeds/types.js';
import { VARCHAR_MAX_CHARS } from '../../feeds/sql-types.js';
import { quoteIdent } from '../../sql/ident.js';
import type { UpsertTemplate } from './sql.js';
import type { SqlValue } from './values.js';

/** The sequence column of the temporary table. */
export const SEQ_COLUMN = '_feedctl_seq';

/** The statements of one feed table's bulk path, rendered once per sink. */
export interface BulkTemplate {
  /** The session temporary table. */
  temp: string;
  /** Its creation in MEMORY (the feed's columns fit in fixed-size rows) or, else or when MEMORY fails, InnoDB. */
  create: { memory: string | null; innodb: string };
  /** Rows a MEMORY temporary table holds before it is emptied (0: InnoDB only). */
  memoryRows: number;
  drop: string;
  truncate: string;
  /** Empties a MEMORY temporary table between parts (not transactional, so no implicit commit either). */
  clear: string;
  /** `LOAD DATA LOCAL INFILE` of the TSV ({@link tsv}) into the temporary table. */
  load: string;
  /** `LOAD DATA LOCAL INFILE IGNORE` of the same TSV straight into the feed's table (rows with new keys only). */
  direct: string;
  /** The guarded upsert of the temporary table's rows with sequence numbers in `[?, ?]` into the feed's table. */
  upsert: string;
}

/** `feedctl_load_<table>`, cut to MySQL's 64-character identifiers. */
export function tempTableName(table: string): string {
  return `feedctl_load_${table}`.slice(0, 64);
}

/**
 * Most bytes of rows in a MEMORY temporary table (fixed-size rows: a varchar(n) takes 4n + 2 bytes), well under
 * max_heap_table_size's 16 MiB default; it is emptied before it would hold more.
 */
export const MEMORY_TABLE_BYTES = 8 * 1024 * 1024;

/** Bytes of a MEMORY row of these fields and the system columns, or null when one cannot be in MEMORY (TEXT, JSON). */
export function memoryRowBytes(fields: readonly FieldSpec[]): number | null {
  let bytes = 64; // sequence, snapshot and lineage columns, null bits
  for (const f of fields) {
    if (f.type.kind === 'json') return null;
    if (f.type.kind !== 'string') bytes += 16;
    else if (f.type.maxLength === null || f.type.maxLength > VARCHAR_MAX_CHARS) return null;
    else bytes += 4 * f.type.maxLength + 2;
  }
  return bytes;
}

/**
 * The bulk statements of a feed's table. `memoryRows`: the rows a MEMORY temporary table may hold (0: InnoDB),
 * see {@link memoryRowBytes} and {@link MEMORY_TABLE_BYTES}.
 */
export function bulkTemplate(t: UpsertTemplate, memoryRows: number): BulkTemplate {
  const temp = quoteIdent(tempTableName(t.table));
  const seq = quoteIdent(SEQ_COLUMN);
  const renamed = t.columns.map((_, i) => `c${i}`);
  const copies = t.columns.map((c, i) => `${quoteIdent(c)} AS ${renamed[i]}`).join(', ');
  const format = ` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'`;
  const create = (engine: string) =>
    `CREATE TEMPORARY TABLE ${temp} (${seq} INT UNSIGNED NOT NULL DEFAULT 0, PRIMARY KEY USING BTREE (${seq}))` +
    ` ENGINE=${engine} SELECT ${copies} FROM ${quoteIdent(t.table)} WHERE FALSE`;
  return {
    temp: tempTableName(t.table),
    create: { memory: memoryRows > 0 ? create('MEMORY') : null, innodb: create('InnoDB') },
    memoryRows,
    drop: `DROP TEMPORARY TABLE IF EXISTS ${temp}`,
    truncate: `TRUNCATE TABLE ${temp}`,
    clear: `DELETE FROM ${temp}`,
    load: `LOAD DATA LOCAL INFILE 'feedctl.tsv' INTO TABLE ${temp}${format} (${seq}, ${renamed.join(', ')})`,
    direct:
      `LOAD DATA LOCAL INFILE 'feedctl.tsv' IGNORE INTO TABLE ${quoteIdent(t.table)}${format}` +
      ` (@seq, ${t.columns.map(quoteIdent).join(', ')})`,
    upsert:
      `INSERT INTO ${quoteIdent(t.table)} (${t.columns.map(quoteIdent).join(', ')})` +
      ` SELECT ${renamed.join(', ')} FROM ${temp} WHERE ${seq} BETWEEN ? AND ? ORDER BY ${seq}` +
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

/** The TSV of rows numbered in order from `first` (the first field is the sequence), as UTF-8. */
export function tsv(rows: readonly { values: readonly SqlValue[] }[], first = 1): Buffer {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = (rows[i] as { values: readonly SqlValue[] }).values;
    let line = String(first + i);
    for (const v of r) line += '\t' + tsvField(v);
    lines[i] = line;
  }
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}
