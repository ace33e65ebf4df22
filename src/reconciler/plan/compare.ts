/**
 * Whether a saved plan still matches the world: the same changes (kind, id, action, before, after) in the same
 * order as a plan computed now. `reason`, ids and timestamps are ignored. Pure.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Change, Plan } from './types.js';

function essence(c: Change) {
  return { kind: c.kind, id: c.id, action: c.action, before: c.before, after: c.after };
}

/** undefined when the plans agree; otherwise a sentence saying where they first differ. */
export function planMismatch(saved: Plan, current: Plan): string | undefined {
  const n = Math.max(saved.changes.length, current.changes.length);
  for (let i = 0; i < n; i++) {
    const a = saved.changes[i];
    const b = current.changes[i];
    if (!a || !b) {
      const extra = (a ?? b) as Change;
      return `${a ? 'the saved plan has' : 'the world now needs'} an extra change: ${extra.action} ${extra.kind} ${extra.id}`;
    }
    if (!isDeepStrictEqual(essence(a), essence(b))) {
      return `change ${i + 1} differs: saved ${a.action} ${a.kind} ${a.id}, now ${b.action} ${b.kind} ${b.id}${a.kind === b.kind && a.id === b.id ? ' with other values' : ''}`;
    }
  }
  if (saved.errors.length !== current.errors.length) return 'the plan errors differ';
  return undefined;
}
