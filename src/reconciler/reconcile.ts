/**
 * The reconcile pipeline, as one straight line: manifests → desired state → (session) → observed state → diff →
 * plan → apply. `planFromManifests` only reads (dry-run, read-only credentials suffice); `applyReconcile` migrates
 * the control plane, takes the apply lock, re-observes under it, and applies.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { migrateUp } from '../control/migrate.js';
import { readStatus, type StatusView } from '../control/status.js';
import { FeedctlError, type Diagnostic } from '../errors.js';
import { loadFeeds } from '../feeds/load.js';
import type { FeedSpec } from '../feeds/types.js';
import { logger } from '../log.js';
import { resolveActor, sourceRevision } from './actor.js';
import { applyPlan, type ChangeResult } from './apply.js';
import { APPLIERS, BATCHERS } from './appliers.js';
import { desiredState } from './desired.js';
import { diffState } from './diff.js';
import { withApplyLock } from './lock.js';
import { observeState, type ObservedState } from './observe.js';
import { planMismatch } from './plan/compare.js';
import type { Plan, PlanOptions } from './plan/types.js';
import type { RoundTrips } from './roundtrips.js';
import { openSession, type Session } from './session.js';

export interface ReconcileRequest {
  paths: string[];
  options: PlanOptions;
  actor?: string | undefined;
  lockTimeoutSeconds: number;
  /** The feeds to plan for, already resolved (the watch controller's last good state); else read from `paths`. */
  feedSet?: FeedSet | undefined;
}

/**
 * Feeds resolved by the caller: `feeds` are planned as usual; `held` names feeds whose manifest is broken and whose
 * last good spec is unknown — the plan leaves them exactly as they are (no change, no disable, no delete).
 */
export interface FeedSet {
  feeds: FeedSpec[];
  held: string[];
}

/** A computed plan and what it came from. When `diagnostics` holds an error, `plan` is an empty, unapplyable stub. */
export interface PlanOutcome {
  plan: Plan;
  /** What workers report running (dry-run only; null before the runtime tables are migrated). Never part of the plan. */
  status: StatusView | null;
  feeds: FeedSpec[];
  /** Manifest diagnostics, warnings included. */
  diagnostics: Diagnostic[];
  pendingMigrations: string[];
  roundTrips: RoundTrips;
}

export interface ApplyOutcome extends PlanOutcome {
  results: ChangeResult[];
}

/** Feeds to plan for, with the loader's diagnostics (none for a resolved feed set). */
interface Loaded extends FeedSet {
  diagnostics: Diagnostic[];
}

const log = logger('reconciler');
/** The migration that creates feedctl_consumers and feedctl_workers. */
const RUNTIME_MIGRATION = '0004_runtime';
const hasErrors = (d: Diagnostic[]) => d.some((x) => x.severity === 'error');

/** Computes the plan without changing anything (dry-run). */
export async function planFromManifests(config: Config, req: ReconcileRequest): Promise<PlanOutcome> {
  const loaded = await feedsOf(req);
  if (hasErrors(loaded.diagnostics)) return invalid(loaded.diagnostics, req.options);
  const revision = await sourceRevision(manifestDir(req.paths));
  const session = await openSession(config);
  try {
    const { plan } = await computePlan(session, loaded, req.options, revision);
    const migrated = !session.pendingMigrations.some((m) => m <= RUNTIME_MIGRATION);
    const status = migrated ? await readStatus(session.db) : null;
    return {
      plan,
      status,
      feeds: loaded.feeds,
      diagnostics: loaded.diagnostics,
      pendingMigrations: session.pendingMigrations,
      roundTrips: session.roundTrips,
    };
  } finally {
    await session.close();
  }
}

/**
 * Plans and applies under the apply lock. With `saved`, applies that plan only if a fresh plan equals it (else
 * PLAN_STALE). `onPlan` sees the plan before anything is applied; `onResult` each change's outcome.
 */
export async function applyReconcile(
  config: Config,
  req: ReconcileRequest,
  saved: Plan | undefined,
  onResult: (r: ChangeResult) => void,
  onPlan: (p: Plan) => void,
): Promise<ApplyOutcome> {
  const loaded = await feedsOf(req);
  if (hasErrors(loaded.diagnostics)) return { ...invalid(loaded.diagnostics, req.options), results: [] };
  const [actor, revision] = await Promise.all([
    resolveActor(req.actor),
    sourceRevision(manifestDir(req.paths)),
  ]);
  await migrateUp(config);
  const session = await openSession(config);
  try {
    return await withApplyLock(session.db, config.mysql.database, req.lockTimeoutSeconds, async () => {
      const fresh = await computePlan(session, loaded, req.options, revision);
      const plan = saved ? checkSaved(saved, fresh.plan) : fresh.plan;
      onPlan(plan);
      const base = {
        plan,
        status: null,
        feeds: loaded.feeds,
        diagnostics: loaded.diagnostics,
        pendingMigrations: [],
        roundTrips: session.roundTrips,
      };
      if (!plan.applyable || plan.changes.length === 0) return { ...base, results: [] };
      const feeds = new Map(loaded.feeds.map((f) => [f.name, f]));
      const { kafka, db } = session;
      const ctx = { config, kafka, db, inventory: fresh.observed.inventory, feeds };
      const meta = { actor, sourceRevision: revision };
      const results = await applyPlan(ctx, plan, APPLIERS, meta, onResult, BATCHERS);
      log.info(
        { planId: plan.id, applied: results.filter((r) => r.outcome === 'applied').length },
        'plan applied',
      );
      return { ...base, results };
    });
  } finally {
    await session.close();
  }
}

/** The request's resolved feed set, or the manifests under its paths (nothing held). */
async function feedsOf(req: ReconcileRequest): Promise<Loaded> {
  if (req.feedSet) return { ...req.feedSet, diagnostics: [] };
  return { ...(await loadFeeds(req.paths)), held: [] };
}

async function computePlan(
  session: Session,
  loaded: Loaded,
  options: PlanOptions,
  revision: string | null,
): Promise<{ plan: Plan; observed: ObservedState }> {
  const desired = desiredState(loaded.feeds, session.config);
  const observed = await observeState(session, desired);
  const held = new Set(loaded.held);
  const diffed = diffState(desired, observed, {
    ...options,
    desiredFeeds: new Set([...loaded.feeds.map((f) => f.name), ...held]),
  });
  const changes = diffed.changes.filter((c) => c.feed === null || !held.has(c.feed));
  const errors = diffed.errors.filter((e) => e.feed === null || !held.has(e.feed));
  const blocked = !options.allowDestructive && changes.some((c) => c.destructive);
  const plan: Plan = {
    ...emptyPlan(options),
    sourceRevision: revision,
    changes,
    errors,
    complete: true,
    blocked,
    applyable: errors.length === 0 && !blocked,
  };
  return { plan, observed };
}

function checkSaved(saved: Plan, fresh: Plan): Plan {
  const mismatch = planMismatch(saved, fresh);
  if (mismatch) {
    throw new FeedctlError(
      'PLAN_STALE',
      `${mismatch}; run reconcile --dry-run again and review the new plan`,
      {
        subsystem: 'reconciler',
        action: 'apply saved plan',
        id: saved.id,
      },
    );
  }
  return { ...saved, options: fresh.options, blocked: fresh.blocked, applyable: fresh.applyable };
}

function emptyPlan(options: PlanOptions): Plan {
  return {
    formatVersion: 1,
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    sourceRevision: null,
    options,
    changes: [],
    errors: [],
    complete: false,
    blocked: false,
    applyable: false,
  };
}

function invalid(diagnostics: Diagnostic[], options: PlanOptions): PlanOutcome {
  return {
    plan: emptyPlan(options),
    status: null,
    feeds: [],
    diagnostics,
    pendingMigrations: [],
    roundTrips: { kafka: 0, mysql: 0 },
  };
}

/** The folder the manifests live in (for the git revision). */
function manifestDir(paths: string[]): string {
  const first = path.resolve(paths[0] ?? '.');
  return path.extname(first) ? path.dirname(first) : first;
}
