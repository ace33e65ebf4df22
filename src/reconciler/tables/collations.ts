/**
 * Collations of warehouse string columns (pure). A manifest names an intent (`exact`, `unicode_ci`); the table diff
 * resolves it to the observed server's collation name, because MariaDB and MySQL 8 name the exact one differently,
 * so the plan shows, and applies, what the server will report back.
 */
import { EXACT_COLLATIONS, UNICODE_CI_COLLATION } from '../../feeds/sql-types.js';
import type { FieldCollation } from '../../feeds/types.js';
import type { ColumnDef, TableDef } from './desired.js';

/** What the server calls each intent. */
export interface ServerCollations {
  /** Binary and NO PAD: `utf8mb4_nopad_bin` (MariaDB) or `utf8mb4_0900_bin` (MySQL 8). */
  exact: string;
}

/** The preferred exact collation among those the server has, or undefined when it has none (too old). */
export function pickExactCollation(available: readonly string[]): string | undefined {
  return EXACT_COLLATIONS.find((c) => available.includes(c));
}

const INTENTS: Record<FieldCollation, (s: ServerCollations) => string> = {
  exact: (s) => s.exact,
  unicode_ci: () => UNICODE_CI_COLLATION,
};

/** A desired table with collation intents replaced by the server's names. */
export function resolveCollations(t: TableDef, server: ServerCollations): TableDef {
  const resolve = (c: ColumnDef): ColumnDef => {
    const intent = c.collation === null ? undefined : INTENTS[c.collation as FieldCollation];
    return intent ? { ...c, collation: intent(server) } : c;
  };
  return { ...t, columns: t.columns.map(resolve) };
}

/** Why a unique-key column's collation change is risky, in the direction it goes. */
export function keyCollationRisk(from: string | null, to: string | null, server: ServerCollations): string {
  if (to === server.exact) {
    return (
      `the upsert key compares byte-exact (${from} → ${to}): keys differing only by case, accents or trailing ` +
      'spaces become separate rows from now on, rows already merged stay merged; the unique key is rebuilt'
    );
  }
  return (
    `the upsert key's collation changes (${from} → ${to}): the unique key is rebuilt and the change fails if ` +
    `existing keys are duplicates under ${to} (differ only by case, accents or trailing spaces)`
  );
}
