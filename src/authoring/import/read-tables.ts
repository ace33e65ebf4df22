/**
 * Warehouse tables made by the runbook, read from information_schema (one query for columns, one for indexes,
 * whatever the number of tables), and their mapping to manifest fields and key (pure). The mapping keeps the
 * table as it is: each field's type, nullability and collation are the ones the reconciler would create for the
 * existing column, and what no field can express is a note for the person reviewing the manifest.
 */
import { readTables as readReportedTables, type ReportedIndex } from '../../clients/information-schema.js';
import type { Connection } from '../../clients/mysql.js';
import { SYSTEM_COLUMNS } from '../../shape.js';
import { EXACT_COLLATIONS, UNICODE_CI_COLLATION, sqlColumnType } from '../../feeds/sql-types.js';
import type { FieldCollation, FieldType } from '../../feeds/types.js';
import { columnProblem } from '../column-names.js';
import type { FieldDraft } from '../draft.js';

/** One information_schema.COLUMNS row, as read. */
export interface ColumnRow {
  name: string;
  /** COLUMN_TYPE, lower case: `varchar(255)`, `decimal(15,2)`, `int(11)`, `tinyint(1)`… */
  columnType: string;
  nullable: boolean;
  collation: string | null;
}

/** One index (PRIMARY excluded), its columns in order. */
export type IndexRow = ReportedIndex;

export interface TableRows {
  name: string;
  columns: ColumnRow[];
  indexes: IndexRow[];
}

/** The tables among `names` that exist, with their columns and indexes. */
export async function readTables(db: Connection, names: readonly string[]): Promise<Map<string, TableRows>> {
  const reported = await readReportedTables(db, names);
  return new Map(
    [...reported].map(([name, t]) => [
      name,
      {
        name,
        columns: t.columns.map((c) => ({
          name: c.name,
          columnType: c.type.toLowerCase(),
          nullable: c.nullable,
          collation: c.collation,
        })),
        indexes: t.indexes,
      },
    ]),
  );
}

const SYSTEM = new Set<string>(Object.values(SYSTEM_COLUMNS));
const SNAPSHOT_COLUMNS = new Set<string>([SYSTEM_COLUMNS.snapshotDate, SYSTEM_COLUMNS.snapshotVersion]);

/** A type, or the note saying why the column has no exact feedctl equivalent (and the closest type). */
interface Mapped {
  type: FieldType;
  note?: string;
}

const TYPE = /^([a-z]+)(?:\((\d+)(?:,(\d+))?\))?/;

const SIMPLE: Readonly<Record<string, FieldType>> = {
  text: { kind: 'string', maxLength: 16383 },
  mediumtext: { kind: 'string', maxLength: null },
  longtext: { kind: 'string', maxLength: null },
  json: { kind: 'json' },
  smallint: { kind: 'int' },
  mediumint: { kind: 'int' },
  int: { kind: 'int' },
  bigint: { kind: 'bigint' },
  float: { kind: 'float' },
  double: { kind: 'double' },
  date: { kind: 'date' },
  datetime: { kind: 'timestamp' },
  timestamp: { kind: 'timestamp' },
};

/** The field type closest to a column type (lower case, as information_schema reports it). */
function closestType(columnType: string, collation: string | null): FieldType {
  const [, base = '', a, b] = TYPE.exec(columnType) ?? [];
  const n = a === undefined ? undefined : Number(a);
  if (base === 'varchar' || base === 'char') return { kind: 'string', maxLength: n ?? null };
  if (base === 'tinyint') return n === 1 ? { kind: 'boolean' } : { kind: 'int' };
  if (base === 'decimal')
    return { kind: 'decimal', precision: n ?? 10, scale: b === undefined ? 0 : Number(b) };
  if (base === 'longtext' && collation === 'utf8mb4_bin') return { kind: 'json' }; // MariaDB's JSON
  return SIMPLE[base] ?? { kind: 'string', maxLength: null };
}

/** `int(11)` → `int` (but `tinyint(1)` stays), MariaDB's JSON → `json`: the normal form sqlColumnType writes. */
function normalType(columnType: string, collation: string | null): string {
  if (columnType === 'longtext' && collation === 'utf8mb4_bin') return 'json';
  return columnType.startsWith('tinyint(1)') ? columnType : columnType.replace(/^(\w*int)\(\d+\)/, '$1');
}

/**
 * The field type whose column is exactly `columnType` (the column the reconciler would create for it, see
 * sqlColumnType), or the closest one with a TODO note: the reconciler would then change the column.
 */
export function fieldType(columnType: string, collation: string | null): Mapped {
  const t = columnType.trim().toLowerCase();
  const type = closestType(t, collation);
  const feedctl = sqlColumnType(type);
  if (feedctl === normalType(t, collation)) return { type };
  return {
    type,
    note: `TODO: the column is ${t}, feedctl's is ${feedctl}: the reconciler would change it, check the plan`,
  };
}

/** The collation intent of a string column, when the server's name is one feedctl knows. */
export function collationIntent(collation: string | null): FieldCollation | undefined {
  if (collation === UNICODE_CI_COLLATION) return 'unicode_ci';
  return (EXACT_COLLATIONS as readonly string[]).includes(collation ?? '') ? 'exact' : undefined;
}

/**
 * The field of one column, or null for the columns feedctl adds itself. The collation is written only where it
 * differs from the default for the field (`exact` for key fields, else `unicode_ci`), so the table keeps it.
 */
export function fieldFromColumn(c: ColumnRow, key: readonly string[]): FieldDraft | null {
  if (SYSTEM.has(c.name)) return null;
  const problem = columnProblem(c.name);
  const { type, note: typeNote } = fieldType(c.columnType, c.collation);
  const note = problem
    ? `TODO: column ${c.name} ${problem}: feedctl cannot adopt it as it is (rename the column first)`
    : typeNote;
  const field: FieldDraft = { name: c.name, type, nullable: c.nullable, ...(note ? { note } : {}) };
  if (type.kind !== 'string') return field;
  const intent = collationIntent(c.collation);
  if (intent === undefined) {
    const other = `TODO: collation ${String(c.collation)} has no feedctl equivalent; the reconciler will change it`;
    return { ...field, note: note ?? other };
  }
  const byDefault: FieldCollation = key.includes(c.name) ? 'exact' : 'unicode_ci';
  return intent === byDefault ? field : { ...field, collation: intent };
}

/**
 * The feed's key from the table's unique keys: the one holding both snapshot columns (the runbook's
 * `unique_snapshot`), minus them. Empty when there is none.
 */
export function keyFromIndexes(indexes: readonly IndexRow[]): string[] {
  const unique = indexes.filter((i) => i.unique && [...SNAPSHOT_COLUMNS].every((s) => i.columns.includes(s)));
  const best = unique.find((i) => i.name === 'unique_snapshot') ?? unique[0];
  return best ? best.columns.filter((c) => !SNAPSHOT_COLUMNS.has(c)) : [];
}
