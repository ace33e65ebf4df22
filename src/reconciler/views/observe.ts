/**
 * Observes views with one information_schema query whatever the number of feeds: their definitions and security
 * (VIEWS) joined with the columns they show (COLUMNS), for the relevant views that exist (desired names ∪ views in the
 * ownership inventory). Which names are views, and which are taken by base tables, comes from the session's one
 * listing of the database (see ../observe.ts). Read-only.
 *
 * An account without SHOW VIEW reads an empty definition (MariaDB and MySQL alike): the view is then `readable:
 * false` and only its columns and security are compared.
 */
import type { Connection, RowDataPacket } from '../../clients/mysql.js';
import { parseViewDefinition } from './definition.js';
import type { ViewState } from './desired.js';

/** A view as it exists, in comparable form. */
export interface ObservedView {
  name: string;
  state: ViewState;
  /** False when this account may not read the definition (table and version are then unknown, null). */
  readable: boolean;
}

export interface ObservedViews {
  views: Map<string, ObservedView>;
  /** Relevant names held by base tables (a view cannot be created there). */
  takenByTables: Set<string>;
}

/** Each view with its columns in order (a view whose table is broken shows none): one row per column. */
const VIEWS_SQL = `SELECT v.table_name AS v, v.view_definition AS def, v.security_type AS sec, c.column_name AS c
  FROM information_schema.views v LEFT JOIN information_schema.columns c
    ON c.table_schema = v.table_schema AND c.table_name = v.table_name
  WHERE v.table_schema = DATABASE() AND v.table_name IN (?)
  ORDER BY v.table_name, c.ordinal_position`;

function observed(name: string, definition: unknown, security: unknown): ObservedView {
  const text = definition === null ? '' : String(definition);
  const parsed = text === '' ? null : parseViewDefinition(text);
  return {
    name,
    readable: text !== '',
    state: {
      table: parsed?.table ?? null,
      columns: [],
      version: parsed?.version ?? null,
      security: String(security).toUpperCase(),
    },
  };
}

/** `views`: names of the relevant views that exist; `tables`: relevant names that are base tables. */
export async function observeViews(
  db: Connection,
  views: readonly string[],
  tables: readonly string[],
): Promise<ObservedViews> {
  const out: ObservedViews = { views: new Map(), takenByTables: new Set(tables) };
  if (views.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>(VIEWS_SQL, [views]);
  for (const r of rows) {
    const name = String(r.v);
    if (!out.views.has(name)) out.views.set(name, observed(name, r.def, r.sec));
    if (r.c !== null) out.views.get(name)?.state.columns.push(String(r.c));
  }
  return out;
}
