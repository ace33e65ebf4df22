/**
 * Batching seam of apply (pure parts). A run of consecutive changes of the same kind and action that the kind's
 * batch applier accepts is applied in one request (one CreateTopics, one multi-row INSERT …). A batch applier
 * reports how far it got in plan order — `applied` leading changes done, then the change that failed (if any) — so
 * every change still gets an exact outcome: applied up to the first failure, that one failed, the rest skipped.
 */
import { causeText } from '../errors.js';
import type { Action, Change, ResourceKind } from './plan/types.js';

/** How far a batch got, in plan order. Invariant: 0 ≤ applied ≤ changes; `error` set ⇒ applied < changes. */
export interface BatchOutcome {
  /** The number of leading changes of the batch that were applied. */
  applied: number;
  /** Why change number `applied` failed; null when all were applied. */
  error: string | null;
}

/** Which (kind, action) pairs have a batch applier. */
export type Batchable = (kind: ResourceKind, action: Action) => boolean;

/** The most changes in one batch (one request to Kafka, a few multi-row statements to MySQL). */
export const MAX_BATCH = 1000;

/**
 * Splits changes (in plan order) into consecutive groups: a run of one batchable (kind, action) of at most
 * `maxSize` changes, or a single change that is not batchable. Concatenated, the groups are the input.
 */
export function batchGroups(
  changes: readonly Change[],
  batchable: Batchable,
  maxSize = MAX_BATCH,
): Change[][] {
  const groups: Change[][] = [];
  let current: Change[] | null = null;
  for (const c of changes) {
    const head = current?.[0];
    const same = head && head.kind === c.kind && head.action === c.action;
    if (current && same && current.length < maxSize && batchable(c.kind, c.action)) {
      current.push(c);
      continue;
    }
    current = [c];
    groups.push(current);
  }
  return groups;
}

/** One change's outcome inside a batch: applied before the failure, failed at it, skipped after it. */
export function outcomeAt(index: number, outcome: BatchOutcome): 'applied' | 'failed' | 'skipped' {
  if (index < outcome.applied) return 'applied';
  return index === outcome.applied && outcome.error !== null ? 'failed' : 'skipped';
}

/**
 * Maps per-item errors of one request (e.g. kafkajs' per-topic CreateTopics errors) to a batch outcome in plan
 * order: everything before the first item with an error was applied; that item failed.
 */
export function firstFailure<T>(items: readonly T[], errorOf: (item: T) => string | null): BatchOutcome {
  for (let i = 0; i < items.length; i++) {
    const error = errorOf(items[i] as T);
    if (error !== null) return { applied: i, error };
  }
  return { applied: items.length, error: null };
}

/**
 * For batches that cannot be one request (DDL): runs `fn` on each change in order on the caller's connection and
 * stops at the first failure, reporting how far it got.
 */
export async function untilFailure(
  changes: readonly Change[],
  fn: (change: Change) => Promise<void>,
): Promise<BatchOutcome> {
  for (let i = 0; i < changes.length; i++) {
    try {
      await fn(changes[i] as Change);
    } catch (err) {
      return { applied: i, error: causeText(err) };
    }
  }
  return { applied: changes.length, error: null };
}
