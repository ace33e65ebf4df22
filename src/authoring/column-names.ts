/**
 * The warehouse and lake column of a message property that cannot be one itself (pure): a column feedctl adds
 * (`id`, `created_at`…), a lake partition name (`year`…), a leading `_`, a MySQL reserved word, or not a column
 * identifier at all (`customerId`, `order-id`). Authoring (`feedctl new`, `feedctl import`) writes it as the field's
 * `column:`; the rules are the validator's (src/feeds/semantic-schema.ts).
 */
import { nameProblem } from '../feeds/names.js';
import { columnClash, type ColumnClash } from '../feeds/semantic-schema.js';
import type { FieldDraft } from './draft.js';

const CLASH: Record<ColumnClash, string> = {
  system: 'is a column feedctl adds',
  lineage: "starts with '_' (feedctl's lineage columns)",
  partition: 'is a partition column of the lake',
  reserved: 'is a MySQL reserved word',
};

/** Why `name` cannot be a field's column, or null when it can (the validator's rule, src/feeds/semantic-schema.ts). */
export function columnProblem(name: string): string | null {
  const clash = columnClash(name);
  return clash ? CLASH[clash] : nameProblem('column', name);
}

/**
 * The column for `property`: undefined when the property can be its own column; else its snake_case form when that
 * can (`customerId` → `customer_id`), else `source_<snake_case>` (`id` → `source_id`); null when none can.
 */
export function columnFor(property: string): string | undefined | null {
  if (columnProblem(property) === null) return undefined;
  const snake = property
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  for (const candidate of [snake, `source_${snake}`]) {
    if (candidate !== '' && candidate !== 'source_' && columnProblem(candidate) === null) return candidate;
  }
  return null;
}

/**
 * The fields with columns unique case-insensitively (as MySQL compares them): a mapped field whose column another
 * field already has (`customerId` → `customer_id` beside a `customer_id` property) gets `source_<column>`, then a
 * numbered one, with a note.
 */
export function uniqueColumns(fields: readonly FieldDraft[]): FieldDraft[] {
  const taken = new Set(fields.filter((f) => !f.column).map((f) => f.name.toLowerCase()));
  return fields.map((f) => {
    if (!f.column) return f;
    const candidates = [
      f.column,
      `source_${f.column}`,
      ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${f.column}_${n}`),
    ];
    const column = candidates.find((c) => !taken.has(c) && columnProblem(c) === null) ?? f.column;
    taken.add(column);
    if (column === f.column) return f;
    const note = `column ${f.column} is another field's: stored as ${column}`;
    return { ...f, column, note: f.note ? `${f.note}; ${note}` : note };
  });
}
