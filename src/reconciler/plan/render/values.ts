/**
 * Shared pieces of the plan renderers (pure): field-level before → after lines from a change's JSON values, the
 * summary counts, and value formatting. Computing a plan is separate from showing it; nothing here decides anything.
 */
import type { Change, Json, Plan } from '../types.js';

/** One rendered field of a change: `+` only after, `-` only before, `~` both and different. */
export interface FieldLine {
  op: '+' | '-' | '~';
  path: string;
  before?: string;
  after?: string;
}

/** Scalars as JSON; one-line objects and arrays (`{type: "int", nullable: true}`, `[a, b]`). */
export function formatValue(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${formatValue(x)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** Leaf paths of a value: objects are walked (`configs.retention.ms`), arrays of named objects keyed by name. */
export function flatten(v: Json, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(v) && v.length > 0 && v.every(isNamed)) {
    for (const item of v as Array<{ [k: string]: Json }>) {
      const { name, ...rest } = item;
      out.set(`${prefix}[${String(name)}]`, formatValue(rest));
    }
  } else if (prefix) out.set(prefix, formatValue(v));
  return out;
}

function isNamed(x: Json): boolean {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && typeof x.name === 'string';
}

export function fieldLines(c: Change): FieldLine[] {
  const before = flatten(c.before);
  const after = flatten(c.after);
  const lines: FieldLine[] = [];
  for (const [path, a] of after) {
    const b = before.get(path);
    if (b === undefined) lines.push({ op: '+', path, after: a });
    else if (b !== a) lines.push({ op: '~', path, before: b, after: a });
  }
  for (const [path, b] of before) if (!after.has(path)) lines.push({ op: '-', path, before: b });
  return lines;
}

export const SYMBOL: Record<Change['action'], string> = { create: '+', update: '~', adopt: '>', delete: '-' };

/** `Plan: 3 to create, 1 to update, 0 to adopt, 1 to delete; 1 destructive; 1 error.` */
export function summaryLine(plan: Plan): string {
  const count = (a: Change['action']) => plan.changes.filter((c) => c.action === a).length;
  const destructive = plan.changes.filter((c) => c.destructive).length;
  const parts = [
    `${count('create')} to create, ${count('update')} to update, ${count('adopt')} to adopt, ${count('delete')} to delete`,
  ];
  if (destructive > 0) parts.push(`${destructive} destructive`);
  if (plan.errors.length > 0) parts.push(`${plan.errors.length} error${plan.errors.length === 1 ? '' : 's'}`);
  return `Plan: ${parts.join('; ')}.`;
}

/** What will (not) happen when the plan is applied, or null when it can be applied as is. */
export function verdict(plan: Plan): string | null {
  if (plan.errors.length > 0) return 'Nothing can be applied until the plan errors are fixed.';
  if (plan.blocked) {
    return 'This plan has destructive changes: nothing is applied without --allow-destructive.';
  }
  return null;
}

export const NO_CHANGES = 'No changes. Kafka, MySQL and the registry match the manifests.';
