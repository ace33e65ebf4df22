/**
 * DDL statements for warehouse tables, rendered from normalized definitions (pure). Identifiers go through
 * quoteIdent; the only value (the table comment) is a bound parameter. Each function returns what
 * `connection.query(sql, values)` takes. Portable to MySQL 8 and MariaDB 10.6+.
 */
import { internalError } from '../../errors.js';
import type { Statement } from '../../shape.js';
import { quoteIdent } from '../../sql/ident.js';
import type { ColumnDef, IndexDef, TableDef } from './desired.js';

const DEFAULTS: Record<string, string> = { current_timestamp: 'CURRENT_TIMESTAMP' };
const EXTRAS: Record<string, string> = {
  auto_increment: 'AUTO_INCREMENT',
  'on update current_timestamp': 'ON UPDATE CURRENT_TIMESTAMP',
};

/** Collation names are rendered bare (they are not identifiers one can quote), so only plain ones pass. */
const COLLATION_NAME = /^utf8mb4_[a-z0-9_]+$/;

/** `name type [CHARACTER SET utf8mb4 COLLATE c] [NOT] NULL [DEFAULT ...] [extra]`. */
export function columnSql(c: ColumnDef): string {
  const parts = [quoteIdent(c.name), c.type.toUpperCase()];
  if (c.collation !== null) {
    if (!COLLATION_NAME.test(c.collation)) unsupported('collation', c.collation);
    parts.push(`CHARACTER SET utf8mb4 COLLATE ${c.collation}`);
  }
  parts.push(c.nullable ? 'NULL' : 'NOT NULL');
  if (c.default !== null) parts.push(`DEFAULT ${DEFAULTS[c.default] ?? unsupported('default', c.default)}`);
  if (c.extra !== null) parts.push(EXTRAS[c.extra] ?? unsupported('extra', c.extra));
  return parts.join(' ');
}

function indexSql(i: IndexDef): string {
  return `${i.unique ? 'UNIQUE KEY' : 'KEY'} ${quoteIdent(i.name)} (${i.columns.map(quoteIdent).join(', ')})`;
}

export function createTableSql(t: TableDef): Statement {
  const lines = [
    ...t.columns.map(columnSql),
    `PRIMARY KEY (${quoteIdent('id')})`,
    ...t.indexes.map(indexSql),
  ];
  return {
    sql:
      `CREATE TABLE ${quoteIdent(t.name)} (\n  ${lines.join(',\n  ')}\n) ` +
      'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT=?',
    values: [t.comment],
  };
}

/** ADD COLUMN, placed after `after` so the table keeps the manifest's field order. */
export function addColumnSql(table: string, c: ColumnDef, after: string | null): Statement {
  const where = after === null ? ' FIRST' : ` AFTER ${quoteIdent(after)}`;
  return { sql: `ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${columnSql(c)}${where}`, values: [] };
}

export function modifyColumnSql(table: string, c: ColumnDef): Statement {
  return { sql: `ALTER TABLE ${quoteIdent(table)} MODIFY COLUMN ${columnSql(c)}`, values: [] };
}

export function dropColumnSql(table: string, column: string): Statement {
  return { sql: `ALTER TABLE ${quoteIdent(table)} DROP COLUMN ${quoteIdent(column)}`, values: [] };
}

export function addIndexSql(table: string, i: IndexDef): Statement {
  return { sql: `ALTER TABLE ${quoteIdent(table)} ADD ${indexSql(i)}`, values: [] };
}

/** Replaces an index in one statement, so the table is never without it. */
export function replaceIndexSql(table: string, i: IndexDef): Statement {
  return {
    sql: `ALTER TABLE ${quoteIdent(table)} DROP INDEX ${quoteIdent(i.name)}, ADD ${indexSql(i)}`,
    values: [],
  };
}

export function dropIndexSql(table: string, index: string): Statement {
  return { sql: `ALTER TABLE ${quoteIdent(table)} DROP INDEX ${quoteIdent(index)}`, values: [] };
}

export function dropTableSql(table: string): Statement {
  return { sql: `DROP TABLE ${quoteIdent(table)}`, values: [] };
}

function unsupported(what: string, value: string): never {
  throw internalError('tables', 'render column', `unsupported ${what} ${JSON.stringify(value)}`);
}
