/**
 * Observes warehouse tables with two information_schema queries whatever the number of feeds (columns, indexes),
 * for the relevant tables: desired names ∪ tables in the ownership inventory. Read-only. Which tables exist at all
 * comes from the session's one listing of the database (see ../observe.ts).
 */
import type { Connection, RowDataPacket } from '../../clients/mysql.js';
import { readTables, type ReportedColumn } from '../../clients/information-schema.js';
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

/** `existing`: names of the relevant tables that exist. */
export async function observeTables(db: Connection, existing: readonly string[]): Promise<ObservedTables> {
  const reported = await readTables(db, existing);
  return new Map(
    existing.map((name) => {
      const t = reported.get(name);
      return [name, { name, columns: (t?.columns ?? []).map(normalColumn), indexes: t?.indexes ?? [] }];
    }),
  );
}

function normalColumn(c: ReportedColumn): ColumnDef {
  const type = normalizeColumnType(c.type, c.collation);
  return {
    name: c.name,
    type,
    nullable: c.nullable,
    default: normalizeDefault(c.default),
    extra: normalizeExtra(c.extra),
    collation: normalizeCollation(type, c.collation),
  };
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
