/**
 * Applies a plan change by change, in plan order. Each applied or failed change writes one audit_log row. The
 * first failure stops the run; the result still lists what was applied before it (Flux-style: a partial failure
 * reports what it did).
 */
import { causeText } from '../errors.js';
import { logger } from '../log.js';
import type { ReconcileContext } from './context.js';
import type { Change, Plan, ResourceKind } from './plan/types.js';
import { writeAudit } from '../control/audit.js';

/** Identity of the run, for audit rows and registry writes. */
export interface ApplyMeta {
  actor: string;
  sourceRevision: string | null;
}

export type Applier = (ctx: ReconcileContext, change: Change, meta: ApplyMeta) => Promise<void>;

export type ChangeOutcome = 'applied' | 'failed' | 'skipped';

/** One line of the apply report. Invariant: at most one `failed`, and every change after it is `skipped`. */
export interface ChangeResult {
  change: Change;
  outcome: ChangeOutcome;
  error: string | null;
  ms: number;
}

const log = logger('reconciler.apply');

/** Applies every change of an applyable plan; never throws for a change failure (it is in the results). */
export async function applyPlan(
  ctx: ReconcileContext,
  plan: Plan,
  appliers: Record<ResourceKind, Applier>,
  meta: ApplyMeta,
  onResult: (r: ChangeResult) => void = () => undefined,
): Promise<ChangeResult[]> {
  const results: ChangeResult[] = [];
  let failed = false;
  for (const change of plan.changes) {
    if (failed) {
      results.push({ change, outcome: 'skipped', error: null, ms: 0 });
      continue;
    }
    const r = await applyOne(ctx, plan, change, appliers[change.kind], meta);
    failed = r.outcome === 'failed';
    results.push(r);
    onResult(r);
  }
  return results;
}

async function applyOne(
  ctx: ReconcileContext,
  plan: Plan,
  change: Change,
  applier: Applier,
  meta: ApplyMeta,
): Promise<ChangeResult> {
  const started = Date.now();
  let error: string | null = null;
  try {
    await applier(ctx, change, meta);
  } catch (err) {
    error = causeText(err);
    log.error({ kind: change.kind, id: change.id, action: change.action, err: error }, 'change failed');
  }
  await writeAudit(ctx.db, {
    actor: meta.actor,
    action: change.action,
    kind: change.kind,
    id: change.id,
    before: change.before,
    after: change.after,
    planId: plan.id,
    sourceRevision: meta.sourceRevision,
    outcome: error === null ? 'applied' : 'failed',
    error,
  });
  return { change, outcome: error === null ? 'applied' : 'failed', error, ms: Date.now() - started };
}
