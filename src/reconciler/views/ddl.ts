/**
 * DDL of latest views, rendered from a desired view (pure). Identifiers go through quoteIdent; the ledger's values
 * (feed name, destination, state) are bound parameters, escaped by the client into the stored definition. Portable
 * to MySQL 8 and MariaDB 10.6+; CREATE OR REPLACE swaps the definition atomically and keeps grants on the view.
 */
import type { Statement } from '../../shape.js';
import { quoteIdent } from '../../sql/ident.js';
import { FeedctlError } from '../../errors.js';
import type { ViewState } from './desired.js';

/** `CREATE OR REPLACE … VIEW name AS SELECT <columns> FROM table WHERE <version> = (latest published)`. */
export function createViewSql(name: string, s: ViewState): Statement {
  const v = s.version;
  if (s.table === null || v === null || s.columns.length === 0) {
    throw new FeedctlError('INTERNAL', 'a view needs a table, columns and a version filter', {
      subsystem: 'reconciler.views',
      action: 'render view',
      id: name,
    });
  }
  const security = s.security === 'INVOKER' ? 'INVOKER' : 'DEFINER';
  const sql =
    `CREATE OR REPLACE SQL SECURITY ${security} VIEW ${quoteIdent(name)} AS ` +
    `SELECT ${s.columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(s.table)} ` +
    `WHERE ${quoteIdent(v.column)} = (SELECT MAX(${quoteIdent('version')}) FROM ${quoteIdent(v.ledger)} ` +
    `WHERE ${quoteIdent('feed_name')} = ? AND ${quoteIdent('destination')} = ? AND ${quoteIdent('state')} = ?)`;
  return { sql, values: [v.feed, v.destination, v.state] };
}

export function dropViewSql(name: string): Statement {
  return { sql: `DROP VIEW IF EXISTS ${quoteIdent(name)}`, values: [] };
}
