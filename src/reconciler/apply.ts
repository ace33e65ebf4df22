/**
 * Applies a plan in plan order. Each applied or failed change writes one audit_log row. The first failure stops
 * the run; the result still lists what was applied before it (Flux-style: a partial failure reports what it did).
 *
 * Batching (see batch.ts): a run of two or more consecutive changes of one kind and action that the kind's batch
 * applier accepts goes through it in one request, and their audit rows are written in one multi-row INSERT. A
 * transactional batch (MySQL rows only) writes its rows and their audit rows in one transaction; if it fails, the
 * transaction is rolled back and the run applies those changes one by one, so the failing change is found exactly.
 * A non-transactional batch (Kafka, DDL) reports itself how far it got in plan order.
 */
import { causeText } from '../errors.js';
import { logger } from '../log.js';
import type { ReconcileContext } from './context.js';
import type { Action, Change, Plan, ResourceKind } from './plan/types.js';
import { writeAudits, type AuditEntry } from '../control/audit.js';
import { batchGroups, outcomeAt, type BatchOutcome } from './batch.js';

/** Identity of the run, for audit rows and registry writes. */
export interface ApplyMeta {
  actor: string;
  sourceRevision: string | null;
}

export type Applier = (ctx: ReconcileContext, change: Change, meta: ApplyMeta) => Promise<void>;

/** Applies consecutive changes of one kind and action together; see the module comment. */
export interface BatchApplier {
  /** The actions it batches. */
  actions: readonly Action[];
  /**
   * True when it only writes MySQL rows: it then runs inside a transaction with the audit rows, must apply all
   * changes or throw, and a throw means nothing was applied. False (Kafka, DDL): it never throws for a change's
   * failure but reports how far it got; a throw means the first change failed.
   */
  transactional: boolean;
  apply(ctx: ReconcileContext, changes: Change[], meta: ApplyMeta): Promise<BatchOutcome>;
}

export type BatchAppliers = Partial<Record<ResourceKind, BatchApplier>>;

export type ChangeOutcome = 'applied' | 'failed' | 'skipped';

/** One line of the apply report. Invariant: at most one `failed`, and every change after it is `skipped`. */
export interface ChangeResult {
  change: Change;
  outcome: ChangeOutcome;
  error: string | null;
  /** Time spent on it; a batched change gets its share of its batch's time. */
  ms: number;
}

interface Run {
  ctx: ReconcileContext;
  plan: Plan;
  meta: ApplyMeta;
  appliers: Record<ResourceKind, Applier>;
}

const log = logger('reconciler.apply');

/** Applies every change of an applyable plan; never throws for a change failure (it is in the results). */
export async function applyPlan(
  ctx: ReconcileContext,
  plan: Plan,
  appliers: Record<ResourceKind, Applier>,
  meta: ApplyMeta,
  onResult: (r: ChangeResult) => void = () => undefined,
  batchers: BatchAppliers = {},
): Promise<ChangeResult[]> {
  const run: Run = { ctx, plan, meta, appliers };
  const results: ChangeResult[] = [];
  const groups = batchGroups(plan.changes, (k, a) => batchers[k]?.actions.includes(a) ?? false);
  let failed = false;
  for (const group of groups) {
    if (failed) {
      for (const change of group) results.push(skipped(change));
      continue;
    }
    const batcher = group.length > 1 && group[0] ? batchers[group[0].kind] : undefined;
    const done = batcher ? await applyBatch(run, group, batcher) : await applyEach(run, group);
    for (const r of done) {
      results.push(r);
      failed ||= r.outcome === 'failed';
      if (r.outcome !== 'skipped') onResult(r);
    }
  }
  return results;
}

const skipped = (change: Change): ChangeResult => ({ change, outcome: 'skipped', error: null, ms: 0 });

/** Change by change, stopping at the first failure (the rest skipped). */
async function applyEach(run: Run, changes: Change[]): Promise<ChangeResult[]> {
  const results: ChangeResult[] = [];
  let failed = false;
  for (const change of changes) {
    if (failed) {
      results.push(skipped(change));
      continue;
    }
    const started = Date.now();
    const error = await attempt(() => run.appliers[change.kind](run.ctx, change, run.meta));
    if (error !== null) logFailure(change, error);
    await writeAudits(run.ctx.db, [auditOf(run, change, error)]);
    const outcome = error === null ? 'applied' : 'failed';
    failed = error !== null;
    results.push({ change, outcome, error, ms: Date.now() - started });
  }
  return results;
}

async function applyBatch(run: Run, changes: Change[], batcher: BatchApplier): Promise<ChangeResult[]> {
  const started = Date.now();
  if (batcher.transactional) {
    const ok = await transactionalBatch(run, changes, batcher);
    if (!ok) return applyEach(run, changes);
    logBatch(changes, changes.length, started);
    return resultsOf(changes, { applied: changes.length, error: null }, started);
  }
  let outcome: BatchOutcome;
  try {
    outcome = await batcher.apply(run.ctx, changes, run.meta);
  } catch (err) {
    outcome = { applied: 0, error: causeText(err) };
  }
  const failed = outcome.error === null ? [] : changes.slice(outcome.applied, outcome.applied + 1);
  for (const c of failed) logFailure(c, outcome.error ?? '');
  const audited = [
    ...changes.slice(0, outcome.applied).map((c) => auditOf(run, c, null)),
    ...failed.map((c) => auditOf(run, c, outcome.error)),
  ];
  await writeAudits(run.ctx.db, audited);
  logBatch(changes, outcome.applied, started);
  return resultsOf(changes, outcome, started);
}

/** All of the batch and its audit rows in one transaction; false (rolled back) when any of it failed. */
async function transactionalBatch(run: Run, changes: Change[], batcher: BatchApplier): Promise<boolean> {
  const db = run.ctx.db;
  await db.beginTransaction();
  try {
    await batcher.apply(run.ctx, changes, run.meta);
    await writeAudits(
      db,
      changes.map((c) => auditOf(run, c, null)),
    );
    await db.commit();
    return true;
  } catch (err) {
    await db.rollback();
    const first = changes[0];
    log.warn(
      { kind: first?.kind, action: first?.action, changes: changes.length, err: causeText(err) },
      'batch failed, applying its changes one by one',
    );
    return false;
  }
}

function resultsOf(changes: Change[], outcome: BatchOutcome, started: number): ChangeResult[] {
  const ms = Math.round((Date.now() - started) / changes.length);
  return changes.map((change, i) => {
    const o = outcomeAt(i, outcome);
    return { change, outcome: o, error: o === 'failed' ? outcome.error : null, ms: o === 'skipped' ? 0 : ms };
  });
}

async function attempt(fn: () => Promise<void>): Promise<string | null> {
  try {
    await fn();
    return null;
  } catch (err) {
    return causeText(err);
  }
}

function logBatch(changes: Change[], applied: number, started: number): void {
  const first = changes[0];
  const fields = { kind: first?.kind, action: first?.action, changes: changes.length, applied };
  log.debug({ ...fields, ms: Date.now() - started }, 'batch applied');
}

function logFailure(change: Change, error: string): void {
  log.error({ kind: change.kind, id: change.id, action: change.action, err: error }, 'change failed');
}

function auditOf(run: Run, change: Change, error: string | null): AuditEntry {
  return {
    actor: run.meta.actor,
    action: change.action,
    kind: change.kind,
    id: change.id,
    before: change.before,
    after: change.after,
    planId: run.plan.id,
    sourceRevision: run.meta.sourceRevision,
    outcome: error === null ? 'applied' : 'failed',
    error,
  };
}
