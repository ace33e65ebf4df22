/**
 * Observes warehouse tables with two information_schema queries whatever the number of feeds (columns, indexes),
 * for the relevant tables: desired names ∪ tables in the ownership inventory. Read-only. Which tables exist at all
 * comes from the session's one listing of the database (see ../observe.ts).
 */
import type { Connection, RowDataPacket } from '../../clients/mysql.js';
import type { ColumnDef, IndexDef } from './desired.js';
import { FeedctlError } from '../../errors.js';
import { EXACT_COLLATIONS } from '../../feeds/sql-types.js';
import { pickExactCollation, type ServerCollations } from './collations.js';
import { normalizeCollation, normalizeColumnType, normalizeDefault, normalizeExtra } from './normalize.js';

/** A table as it exists, in normal form. Invariant: `columns` in ordinal order; `indexes` exclude PRIMARY. */
export interface ObservedTable {
  name: string;
  columns: ColumnDef[];
  indexes: IndexDef[];
}

export type ObservedTables = Map<string, ObservedTable>;

const COLUMNS_SQL = `SELECT table_name AS t, column_name AS c, column_type AS type, collation_name AS coll,
  is_nullable AS nullable, column_default AS def, extra AS extra
  FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name IN (?)
  ORDER BY table_name, ordinal_position`;

const INDEXES_SQL = `SELECT table_name AS t, index_name AS i, non_unique AS nu, column_name AS c
  FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name IN (?) AND index_name <> 'PRIMARY'
  ORDER BY table_name, index_name, seq_in_index`;

/** `existing`: names of the relevant tables that exist. */
export async function observeTables(db: Connection, existing: readonly string[]): Promise<ObservedTables> {
  const out: ObservedTables = new Map(existing.map((name) => [name, { name, columns: [], indexes: [] }]));
  if (existing.length === 0) return out;
  const [[columns], [indexes]] = await Promise.all([
    db.query<RowDataPacket[]>(COLUMNS_SQL, [existing]),
    db.query<RowDataPacket[]>(INDEXES_SQL, [existing]),
  ]);
  for (const r of columns) {
    const collation = r.coll === null ? null : String(r.coll);
    const type = normalizeColumnType(String(r.type), collation);
    out.get(String(r.t))?.columns.push({
      name: String(r.c),
      type,
      nullable: r.nullable === 'YES',
      default: normalizeDefault(r.def === null ? null : String(r.def)),
      extra: normalizeExtra(r.extra === null ? null : String(r.extra)),
      collation: normalizeCollation(type, collation),
    });
  }
  for (const r of indexes) {
    const table = out.get(String(r.t));
    if (!table) continue;
    const last = table.indexes.at(-1);
    if (last?.name === String(r.i)) last.columns.push(String(r.c));
    else table.indexes.push({ name: String(r.i), columns: [String(r.c)], unique: Number(r.nu) === 0 });
  }
  return out;
}

const COLLATIONS_SQL =
  'SELECT collation_name AS c FROM information_schema.collations WHERE collation_name IN (?)';

/** Which exact collation this server has: MariaDB and MySQL 8 name it differently. */
export async function observeCollations(db: Connection): Promise<ServerCollations> {
  const [rows] = await db.query<RowDataPacket[]>(COLLATIONS_SQL, [EXACT_COLLATIONS]);
  const exact = pickExactCollation(rows.map((r) => String(r.c)));
  if (exact === undefined) {
    throw new FeedctlError(
      'MYSQL_QUERY_FAILED',
      `the server has none of ${EXACT_COLLATIONS.join(', ')}: feedctl needs MariaDB 10.6+ or MySQL 8.0.17+`,
      { subsystem: 'reconciler.tables', action: 'observe collations' },
    );
  }
  return { exact };
}
