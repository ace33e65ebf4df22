/**
 * Observes views with two information_schema queries whatever the number of feeds: their definitions and security
 * (VIEWS) and the columns they show (COLUMNS), for the relevant views that exist (desired names ∪ views in the
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

const VIEWS_SQL = `SELECT table_name AS v, view_definition AS def, security_type AS sec
  FROM information_schema.views WHERE table_schema = DATABASE() AND table_name IN (?)`;

const COLUMNS_SQL = `SELECT table_name AS v, column_name AS c
  FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name IN (?)
  ORDER BY table_name, ordinal_position`;

/** `views`: names of the relevant views that exist; `tables`: relevant names that are base tables. */
export async function observeViews(
  db: Connection,
  views: readonly string[],
  tables: readonly string[],
): Promise<ObservedViews> {
  const out: ObservedViews = { views: new Map(), takenByTables: new Set(tables) };
  if (views.length === 0) return out;
  const [[defs], [columns]] = await Promise.all([
    db.query<RowDataPacket[]>(VIEWS_SQL, [views]),
    db.query<RowDataPacket[]>(COLUMNS_SQL, [views]),
  ]);
  for (const r of defs) {
    const text = r.def === null ? '' : String(r.def);
    const parsed = text === '' ? null : parseViewDefinition(text);
    out.views.set(String(r.v), {
      name: String(r.v),
      readable: text !== '',
      state: {
        table: parsed?.table ?? null,
        columns: [],
        version: parsed?.version ?? null,
        security: String(r.sec).toUpperCase(),
      },
    });
  }
  for (const r of columns) out.views.get(String(r.v))?.state.columns.push(String(r.c));
  return out;
}
