/**
 * Tables as information_schema reports them, read in two queries whatever their number (columns, indexes), for
 * the reconciler's observation and for `feedctl import`, which each turn them into their own form. Read-only.
 */
import type { Connection, RowDataPacket } from './mysql.js';

/** A column as reported: COLUMN_TYPE, nullability, collation, default and extra as the server prints them. */
export interface ReportedColumn {
  name: string;
  type: string;
  nullable: boolean;
  collation: string | null;
  default: string | null;
  extra: string | null;
}

/** An index other than PRIMARY, its columns in order. */
export interface ReportedIndex {
  name: string;
  columns: string[];
  unique: boolean;
}

export interface ReportedTable {
  name: string;
  /** In ordinal order. */
  columns: ReportedColumn[];
  indexes: ReportedIndex[];
}

const COLUMNS_SQL = `SELECT table_name AS t, column_name AS c, column_type AS type, collation_name AS coll,
  is_nullable AS nullable, column_default AS def, extra AS extra
  FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name IN (?)
  ORDER BY table_name, ordinal_position`;

const INDEXES_SQL = `SELECT table_name AS t, index_name AS i, non_unique AS nu, column_name AS c
  FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name IN (?) AND index_name <> 'PRIMARY'
  ORDER BY table_name, index_name, seq_in_index`;

const text = (v: unknown): string | null => (v === null ? null : String(v));

/** The tables among `names` of the connection's database that exist, with their columns and indexes. */
export async function readTables(
  db: Connection,
  names: readonly string[],
): Promise<Map<string, ReportedTable>> {
  const out = new Map<string, ReportedTable>();
  if (names.length === 0) return out;
  const [[columns], [indexes]] = await Promise.all([
    db.query<RowDataPacket[]>(COLUMNS_SQL, [names]),
    db.query<RowDataPacket[]>(INDEXES_SQL, [names]),
  ]);
  const table = (name: string): ReportedTable => {
    const t = out.get(name) ?? { name, columns: [], indexes: [] };
    out.set(name, t);
    return t;
  };
  for (const r of columns) {
    table(String(r.t)).columns.push({
      name: String(r.c),
      type: String(r.type),
      nullable: r.nullable === 'YES',
      collation: text(r.coll),
      default: text(r.def),
      extra: text(r.extra),
    });
  }
  for (const r of indexes) {
    const t = table(String(r.t));
    const last = t.indexes.at(-1);
    if (last?.name === String(r.i)) last.columns.push(String(r.c));
    else t.indexes.push({ name: String(r.i), columns: [String(r.c)], unique: Number(r.nu) === 0 });
  }
  return out;
}
