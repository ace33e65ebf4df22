/**
 * The watch controller behind `feedctl reconcile --watch`: it reconciles on manifest changes (debounced: a `git pull`
 * touching many files is one run), on a periodic resync (drift found is logged and healed) and after a failed
 * apply, with exponential backoff and jitter (a terminal error waits for the next change or resync). Runs never
 * overlap; triggers that arrive meanwhile are merged into one next run.
 *
 * Every run plans first and passes the plan through the blast-radius breaker (breaker.ts): a tripped breaker
 * applies nothing, and says so in the log, the run report and `feedctl status`, until a person runs
 * `feedctl reconcile` (a tripped breaker re-checks every 30 s, so it clears soon after). Otherwise the very plan
 * that was checked is applied, from the same resolved feeds.
 *
 * Every run, and a read-only compare every `controller.refreshSeconds` between runs, records each feed's sync state
 * (sync.ts: in sync, changes pending, drift, blocked, invalid manifest, failed) for `feedctl status` and the status
 * page. Drift found by a compare shows as such until the next resync (or change) heals it.
 *
 * An invalid manifest refuses nothing else: the other files are reconciled, and its feed keeps its last good spec
 * (last-good.ts); the file is in the log, the run report, `feedctl status` and the metrics until it is fixed.
 */
import type { Config } from '../config/config.js';
import { causeText, FeedctlError, type Diagnostic } from '../errors.js';
import { loadFeeds } from '../feeds/load.js';
import { watchManifests, type ManifestWatcher } from '../feeds/watch.js';
import { logger } from '../log.js';
import type { ChangeResult } from '../reconciler/apply.js';
import type { Plan } from '../reconciler/plan/types.js';
import {
  applyReconcile,
  planFromManifests,
  type FeedSet,
  type ReconcileRequest,
} from '../reconciler/reconcile.js';
import { backoffDelay } from '../runtime/retry.js';
import { breakerReasons, type BreakerLimits } from './breaker.js';
import { enabledFeeds, LastGood, type InvalidFile } from './last-good.js';
import { ControllerMetrics } from './metrics.js';
import type { RunReport, Trigger } from './report.js';
import { CONTROLLER_ID, forgetController, saveControllerState } from './state.js';
import type { CompareOutcome } from './sync.js';
import { recordSync } from './sync-record.js';

export type { RunOutcome, RunReport, Trigger } from './report.js';

/** How the caller shows a run (the CLI prints; tests may collect). */
export interface ControllerHooks {
  begin(trigger: Trigger, detail: string): void;
  diagnostics(d: Diagnostic[]): void;
  plan(p: Plan): void;
  result(r: ChangeResult): void;
  end(report: RunReport): void;
}

export interface ControllerOptions {
  resyncMs: number;
  limits: BreakerLimits;
  retry: { initialDelayMs: number; maxDelayMs: number };
  /** /readyz turns unready when runs have been failing for longer than this. */
  unreadyAfterMs: number;
  /** The read-only compare's interval (0: none): it records each feed's sync state between runs. */
  refreshMs: number;
}

/** What one compare observed. */
interface Observed {
  req: ReconcileRequest;
  set: FeedSet;
  invalid: InvalidFile[];
  plan: Plan;
  /** Enabled feeds in the registry. */
  enabled: number;
}

/** A tripped breaker plans again after 30 s, then less and less often (up to the resync interval). */
const BREAKER_RECHECK_MS = 30_000;

const log = logger('controller');

export class Controller {
  private watcher: ManifestWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  /** A refresh is queued or running: the next one waits for it. */
  private refreshing = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** A run is queued and not started yet: later triggers join it. */
  private queued: { trigger: Trigger; details: string[] } | null = null;
  private failures = 0;
  /** Runs in a row the breaker refused. */
  private trips = 0;
  /** When runs started failing (null while the last run did not fail). */
  private failingSince: number | null = null;
  private stopped = false;
  private readonly lastGood = new LastGood();
  readonly metrics = new ControllerMetrics();

  constructor(
    private readonly config: Config,
    private readonly req: ReconcileRequest,
    private readonly hooks: ControllerHooks,
    private readonly opts: ControllerOptions,
  ) {}

  /** Watches the manifests, runs once, then keeps resyncing until stop(). */
  async start(): Promise<void> {
    // Watch first, so a change made while the first run applies is applied right after it.
    this.watcher = watchManifests(this.req.paths, (files) => void this.trigger('change', files.join(', ')));
    await this.watcher.ready;
    await this.trigger('start', '');
    this.timer = setInterval(() => void this.trigger('resync', ''), this.opts.resyncMs);
    if (this.opts.refreshMs > 0) this.refreshTimer = setInterval(() => this.refresh(), this.opts.refreshMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.refreshTimer);
    clearTimeout(this.retryTimer);
    await this.watcher?.close();
    await this.queue;
    await forgetController(this.config).catch((err: unknown) =>
      log.warn({ err: causeText(err) }, 'controller state not removed'),
    );
  }

  /** Queues a run (merged into one already queued); resolves when that run has ended. */
  trigger(trigger: Trigger, detail: string): Promise<void> {
    if (this.stopped) return this.queue;
    if (this.queued) {
      if (detail) this.queued.details.push(detail);
      if (trigger === 'change') this.queued.trigger = 'change';
      return this.queue;
    }
    const next = { trigger, details: detail ? [detail] : [] };
    this.queued = next;
    this.queue = this.queue.then(async () => {
      this.queued = null;
      await this.run(next.trigger, next.details.join(', '));
    });
    return this.queue;
  }

  private async run(trigger: Trigger, detail: string): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.hooks.begin(trigger, detail);
    const at = new Date().toISOString();
    const report = await this.attempt(trigger, at).catch((err: unknown) => this.failed(trigger, at, err));
    if (report.outcome !== 'failed') {
      this.failures = 0;
      this.trips = report.outcome === 'breaker' ? this.trips + 1 : 0;
    }
    this.scheduleRetry(report);
    this.failingSince = report.outcome === 'failed' ? (this.failingSince ?? Date.now()) : null;
    this.metrics.record(report);
    await saveControllerState(this.config, report).catch((err: unknown) =>
      log.warn({ err: causeText(err) }, 'controller state not saved'),
    );
    this.hooks.end(report);
  }

  private async attempt(trigger: Trigger, at: string): Promise<RunReport> {
    const observed = await this.observe(trigger);
    const report = await this.decide(trigger, at, observed).catch(async (err: unknown) => {
      await this.record(observed, 'failed', [causeText(err)]);
      throw err;
    });
    await this.record(observed, report.outcome, report.reasons);
    return report;
  }

  /** The manifests (broken ones keep their last good spec), the registry, and the plan between them. */
  private async observe(trigger: Trigger | 'refresh'): Promise<Observed> {
    const [loaded, registry] = await Promise.all([loadFeeds(this.req.paths), enabledFeeds(this.config)]);
    const { set, invalid } = this.lastGood.resolve(loaded, registry);
    if (invalid.length > 0 && trigger !== 'refresh') {
      this.hooks.diagnostics(loaded.diagnostics);
      for (const i of invalid)
        log.warn({ trigger, ...i }, 'invalid manifest: its feeds keep their last good spec');
    }
    const req = { ...this.req, feedSet: set };
    const { plan } = await planFromManifests(this.config, req);
    return { req, set, invalid, plan, enabled: registry.length };
  }

  private async decide(trigger: Trigger, at: string, o: Observed): Promise<RunReport> {
    const { plan, set, invalid } = o;
    const base = { trigger, at, reasons: [], retryInMs: null, appliedByKind: {}, invalid };
    const reasons = breakerReasons(
      { plan, desiredFeeds: set.feeds.length + set.held.length, enabledFeeds: o.enabled },
      this.opts.limits,
    );
    if (reasons.length > 0) {
      this.hooks.plan(plan);
      const level = this.trips === 0 ? 'error' : 'warn';
      log[level]({ trigger, reasons, changes: plan.changes.length }, 'breaker tripped: plan not applied');
      return { ...base, outcome: 'breaker', changes: plan.changes.length, reasons };
    }
    if (plan.errors.length > 0 || !plan.complete) {
      this.hooks.plan(plan);
      throw notApplyable(plan);
    }
    if (plan.changes.length === 0) return { ...base, outcome: 'in sync', changes: 0 };
    if (trigger === 'resync')
      log.warn({ changes: plan.changes.length }, 'drift found by the resync: healing it');
    return { ...base, ...(await this.apply(o.req, plan)) };
  }

  /** A read-only compare between runs: records each feed's sync state (drift shows until the resync heals it). */
  private refresh(): void {
    if (this.stopped || this.queued || this.refreshing) return;
    this.refreshing = true;
    this.queue = this.queue
      .then(async () => {
        if (this.stopped) return;
        await this.record(await this.observe('refresh'), 'refresh', []);
      })
      .catch((err: unknown) => log.debug({ err: causeText(err) }, 'refresh failed'))
      .finally(() => (this.refreshing = false));
  }

  private record(o: Observed, outcome: CompareOutcome, reasons: string[]): Promise<void> {
    return recordSync(
      this.config,
      { plan: o.plan, feeds: o.set.feeds, invalid: o.invalid, outcome, reasons },
      CONTROLLER_ID,
    );
  }

  /** Applies the checked plan; any failed change fails the run (it is retried). */
  private async apply(
    req: ReconcileRequest,
    plan: Plan,
  ): Promise<Pick<RunReport, 'outcome' | 'changes' | 'appliedByKind'>> {
    const applied = await applyReconcile(
      this.config,
      req,
      plan,
      (r) => this.hooks.result(r),
      (p) => this.hooks.plan(p),
    );
    const failed = applied.results.filter((r) => r.outcome === 'failed');
    if (failed.length > 0)
      throw new FeedctlError('APPLY_FAILED', failed.map((r) => r.error ?? '').join('; '), {
        subsystem: 'controller',
        action: 'apply',
        retriable: true,
      });
    const appliedByKind: Record<string, number> = {};
    for (const r of applied.results) {
      if (r.outcome === 'applied') appliedByKind[r.change.kind] = (appliedByKind[r.change.kind] ?? 0) + 1;
    }
    return { outcome: 'applied', changes: applied.results.length, appliedByKind };
  }

  /** For /readyz: unready once runs have been failing for longer than `unreadyAfterMs`. */
  readiness(): { ok: boolean; detail: string } {
    if (this.failingSince === null) return { ok: true, detail: 'the last reconcile did not fail' };
    const seconds = Math.round((Date.now() - this.failingSince) / 1000);
    const ok = Date.now() - this.failingSince <= this.opts.unreadyAfterMs;
    return { ok, detail: `reconcile failing for ${seconds} s` };
  }

  private failed(trigger: Trigger, at: string, err: unknown): RunReport {
    const retriable = !(err instanceof FeedctlError) || err.retriable || err.code === 'PLAN_STALE';
    log.error({ trigger, err: causeText(err), retriable }, 'reconcile failed');
    const retryInMs = retriable ? backoffDelay(++this.failures, this.opts.retry) : null;
    return {
      trigger,
      at,
      outcome: 'failed',
      changes: 0,
      appliedByKind: {},
      reasons: [causeText(err)],
      retryInMs,
      invalid: [],
    };
  }

  /** A failed run retries after its backoff; a tripped breaker re-checks. */
  private scheduleRetry(report: RunReport): void {
    const recheck = Math.min(BREAKER_RECHECK_MS * 2 ** (this.trips - 1), this.opts.resyncMs);
    const delay = report.outcome === 'breaker' ? recheck : report.retryInMs;
    if (delay === null || this.stopped) return;
    this.retryTimer = setTimeout(() => void this.trigger('retry', ''), delay);
  }
}

/**
 * A plan with errors (a change feedctl cannot make: a table it does not own, fewer partitions…) applies nothing, for
 * any feed: a failed run, retried with backoff, so it shows in status, `feedctl_reconcile_failing` and /readyz.
 */
function notApplyable(plan: Plan): FeedctlError {
  const errors = plan.errors.map((e) => `${e.kind} ${e.id}: ${e.message}`);
  const detail = plan.complete ? errors.join('; ') : 'the observation of Kafka and MySQL is incomplete';
  return new FeedctlError('PLAN_BLOCKED', `the plan cannot be applied, nothing was: ${detail}`, {
    subsystem: 'controller',
    action: 'plan',
    retriable: true,
  });
}
