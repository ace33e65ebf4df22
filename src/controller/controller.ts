/**
 * The watch controller behind `feedctl reconcile --watch`: it reconciles on manifest changes (debounced: a `git pull`
 * touching many files is one run), on a periodic resync (drift found is logged and healed) and after a failed
 * apply, with exponential backoff and jitter (a terminal error waits for the next change or resync). Runs never
 * overlap; triggers that arrive meanwhile are merged into one next run.
 *
 * Every run plans first and passes the plan through the blast-radius breaker (breaker.ts): a tripped breaker
 * applies nothing, and says so in the log, the run report and `feedctl status`, until a person runs
 * `feedctl reconcile`. Otherwise the very plan that was checked is applied (a manifest edited in between makes it
 * stale: the run is retried).
 */
import type { Config } from '../config/config.js';
import { isMissingTable, withMysql, type RowDataPacket } from '../clients/mysql.js';
import { causeText, FeedctlError, type Diagnostic } from '../errors.js';
import { watchManifests, type ManifestWatcher } from '../feeds/watch.js';
import { logger } from '../log.js';
import type { ChangeResult } from '../reconciler/apply.js';
import type { Plan } from '../reconciler/plan/types.js';
import { applyReconcile, planFromManifests, type ReconcileRequest } from '../reconciler/reconcile.js';
import { backoffDelay } from '../runtime/retry.js';
import { breakerReasons, type BreakerLimits } from './breaker.js';
import type { RunReport, Trigger } from './report.js';
import { saveControllerState } from './state.js';

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
}

const log = logger('controller');

export class Controller {
  private watcher: ManifestWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** A run is queued and not started yet: later triggers join it. */
  private queued: { trigger: Trigger; details: string[] } | null = null;
  private failures = 0;
  private stopped = false;

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
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    await this.watcher?.close();
    await this.queue;
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
    if (report.outcome === 'failed') this.scheduleRetry(report);
    else this.failures = 0;
    await saveControllerState(this.config, report).catch((err: unknown) =>
      log.warn({ err: causeText(err) }, 'controller state not saved'),
    );
    this.hooks.end(report);
  }

  private async attempt(trigger: Trigger, at: string): Promise<RunReport> {
    const base = { trigger, at, reasons: [], retryInMs: null };
    const outcome = await planFromManifests(this.config, this.req);
    if (outcome.diagnostics.some((d) => d.severity === 'error')) {
      this.hooks.diagnostics(outcome.diagnostics);
      log.warn({ trigger }, 'invalid manifests: nothing applied until they are fixed');
      return { ...base, outcome: 'invalid manifests', changes: 0 };
    }
    const { plan } = outcome;
    const enabledFeeds = await countEnabledFeeds(this.config);
    const reasons = breakerReasons(
      { plan, desiredFeeds: outcome.feeds.length, enabledFeeds },
      this.opts.limits,
    );
    if (reasons.length > 0) {
      this.hooks.plan(plan);
      log.error({ trigger, reasons, changes: plan.changes.length }, 'breaker tripped: plan not applied');
      return { ...base, outcome: 'breaker', changes: plan.changes.length, reasons };
    }
    if (plan.changes.length === 0) return { ...base, outcome: 'in sync', changes: 0 };
    if (trigger === 'resync')
      log.warn({ changes: plan.changes.length }, 'drift found by the resync: healing it');
    const applied = await applyReconcile(
      this.config,
      this.req,
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
    return { ...base, outcome: 'applied', changes: applied.results.length };
  }

  private failed(trigger: Trigger, at: string, err: unknown): RunReport {
    const retriable = !(err instanceof FeedctlError) || err.retriable || err.code === 'PLAN_STALE';
    log.error({ trigger, err: causeText(err), retriable }, 'reconcile failed');
    const retryInMs = retriable ? backoffDelay(++this.failures, this.opts.retry) : null;
    return { trigger, at, outcome: 'failed', changes: 0, reasons: [causeText(err)], retryInMs };
  }

  private scheduleRetry(report: RunReport): void {
    if (report.retryInMs === null || this.stopped) return;
    this.retryTimer = setTimeout(() => void this.trigger('retry', ''), report.retryInMs);
  }
}

/** Enabled feeds feedctl manages now (0 before the control plane exists; any other failure fails the run). */
async function countEnabledFeeds(config: Config): Promise<number> {
  return withMysql(config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM feed_registry WHERE managed_by = 'feedctl' AND enabled",
    );
    return Number(r[0]?.n ?? 0);
  }).catch((err: unknown) => {
    if (isMissingTable(err)) return 0;
    throw err;
  });
}
