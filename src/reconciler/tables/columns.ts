/**
 * Column and index diff of one table feedctl owns (pure). Additive changes (new columns and indexes, widening) are
 * safe; narrowing, lossy type changes, dropped columns, a changed upsert key and a changed collation of one of its
 * columns (which changes which keys are one row) are destructive. Only indexes that
 * follow feedctl's naming (`idx_*`, the unique key) are managed: indexes people added by hand are left alone.
 */
import { SYSTEM_COLUMNS } from '../../shape.js';
import type { Change, Json } from '../plan/types.js';
import { UNIQUE_KEY_NAME, type ColumnDef, type IndexDef, type TableDef } from './desired.js';
import { keyCollationRisk, type ServerCollations } from './collations.js';
import { isWidening } from './normalize.js';
import type { ObservedTable } from './observe.js';

const columnState = (c: ColumnDef): { [k: string]: Json } => ({
  type: c.type,
  nullable: c.nullable,
  default: c.default,
  extra: c.extra,
  collation: c.collation,
});

const indexState = (i: IndexDef): { [k: string]: Json } => ({ columns: i.columns, unique: i.unique });

function change(t: TableDef, kind: 'column' | 'index', name: string, rest: Partial<Change>): Change {
  return {
    kind,
    id: `${t.name}.${name}`,
    feed: t.feed,
    action: 'update',
    before: null,
    after: null,
    destructive: false,
    reason: '',
    ...rest,
  };
}

/** The update of a column that differs: why, and whether it is destructive (type, then collation). */
function columnUpdate(t: TableDef, h: ColumnDef, c: ColumnDef, server: ServerCollations): Change {
  const reasons: string[] = [];
  let destructive = false;
  if (h.type !== c.type || h.nullable !== c.nullable || h.default !== c.default || h.extra !== c.extra) {
    const safe = isWidening(h.type, c.type) && (c.nullable || !h.nullable);
    destructive = !safe;
    reasons.push(
      safe
        ? c.name === SYSTEM_COLUMNS.id
          ? 'id widened: every upsert takes an auto-increment value, so an INT id runs out after 2^31 of them'
          : 'column widened'
        : `${h.type}${h.nullable ? ' NULL' : ''} → ${c.type}${c.nullable ? ' NULL' : ''} can lose or reject existing data`,
    );
  }
  // A column that becomes or stops being a string changes type: the type's reason covers its collation.
  if (h.collation !== c.collation && h.collation !== null && c.collation !== null) {
    const inKey = t.indexes.some((i) => i.name === UNIQUE_KEY_NAME && i.columns.includes(c.name));
    destructive ||= inKey;
    reasons.push(
      inKey
        ? keyCollationRisk(h.collation, c.collation, server)
        : `collation ${h.collation} → ${c.collation}: comparisons and sorting of this column change`,
    );
  }
  return change(t, 'column', c.name, {
    before: columnState(h),
    after: columnState(c),
    destructive,
    reason: reasons.join('; '),
  });
}

/** Timestamps feedctl fills itself (their defaults): a table made by hand may have them nullable, which is kept. */
const SELF_FILLED: ReadonlySet<string> = new Set([SYSTEM_COLUMNS.createdAt, SYSTEM_COLUMNS.updatedAt]);

/**
 * Lineage columns. Added to an existing table (adopted, made by hand), they are nullable: its rows have no lineage,
 * and MySQL 8 refuses a NOT NULL DATETIME without a default on a table with rows. The warehouse's out-of-order guard
 * treats a NULL `_event_time` as older than any record.
 */
const LINEAGE: ReadonlySet<string> = new Set([
  SYSTEM_COLUMNS.eventTime,
  SYSTEM_COLUMNS.partition,
  SYSTEM_COLUMNS.offset,
]);

/**
 * The wanted column, with the nullability of the existing one when that is harmless: `created_at`/`updated_at` of a
 * table made by hand (the runbook's bare `TIMESTAMP DEFAULT CURRENT_TIMESTAMP` is nullable on MySQL 8 and MariaDB ≥
 * 10.10; feedctl never writes NULL there, and tightening them would be a destructive ALTER for nothing), and
 * lineage columns added to an existing table (see LINEAGE).
 */
function keptNullability(h: ColumnDef, c: ColumnDef): ColumnDef {
  const tolerated = SELF_FILLED.has(c.name) || LINEAGE.has(c.name);
  return tolerated && h.nullable && !c.nullable ? { ...c, nullable: true } : c;
}

/** Column changes of `t` (collations resolved, see collations.ts) against what exists. */
export function diffColumns(t: TableDef, o: ObservedTable, server: ServerCollations): Change[] {
  const have = new Map(o.columns.map((c) => [c.name, c]));
  const want = new Set(t.columns.map((c) => c.name));
  const out: Change[] = [];
  t.columns.forEach((c, i) => {
    const h = have.get(c.name);
    const placeAfter = i === 0 ? null : (t.columns[i - 1]?.name ?? null);
    if (!h) {
      const lineage = LINEAGE.has(c.name);
      out.push(
        change(t, 'column', c.name, {
          action: 'create',
          after: { ...columnState(lineage ? { ...c, nullable: true } : c), placeAfter },
          reason: lineage ? "lineage column: NULL in the table's existing rows" : 'field added to the schema',
        }),
      );
    } else if (JSON.stringify(columnState(h)) !== JSON.stringify(columnState(keptNullability(h, c)))) {
      out.push(columnUpdate(t, h, c, server));
    }
  });
  for (const h of o.columns.filter((c) => !want.has(c.name))) {
    out.push(
      change(t, 'column', h.name, {
        action: 'delete',
        before: columnState(h),
        destructive: true,
        reason: 'field removed from the schema: the column and its data are dropped',
      }),
    );
  }
  return out;
}

const managedIndex = (name: string) => name === UNIQUE_KEY_NAME || name.startsWith('idx_');

export function diffIndexes(t: TableDef, o: ObservedTable): Change[] {
  const have = new Map(o.indexes.map((i) => [i.name, i]));
  const want = new Set(t.indexes.map((i) => i.name));
  const out: Change[] = [];
  for (const i of t.indexes) {
    const h = have.get(i.name);
    if (!h)
      out.push(
        change(t, 'index', i.name, { action: 'create', after: indexState(i), reason: 'index missing' }),
      );
    else if (JSON.stringify(indexState(h)) !== JSON.stringify(indexState(i))) {
      out.push(
        change(t, 'index', i.name, {
          before: indexState(h),
          after: indexState(i),
          destructive: i.unique || h.unique,
          reason:
            i.unique || h.unique
              ? 'the upsert key changes: existing rows may collide'
              : 'index columns changed',
        }),
      );
    }
  }
  for (const h of o.indexes.filter((i) => managedIndex(i.name) && !want.has(i.name))) {
    out.push(
      change(t, 'index', h.name, {
        action: 'delete',
        before: indexState(h),
        reason: 'no longer part of the key',
      }),
    );
  }
  return out;
}
