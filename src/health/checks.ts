/**
 * Health checks: small named probes that say ok or not, with a one-line detail. The server runs them in parallel,
 * each bounded by a timeout (a hung probe counts as not ok), and never runs the same check twice at once: a request
 * that finds a check still running waits for that run instead of starting another, so probing every few seconds
 * cannot pile up connections behind a hung server.
 */
import { causeText } from '../errors.js';

/** What one check found. `detail` is shown on the endpoints: it must never carry a secret. */
export interface CheckResult {
  ok: boolean;
  detail: string;
}

/** A named check. `run` may throw: that counts as not ok, with the (masked) error as detail. */
export interface Check {
  name: string;
  run(): Promise<CheckResult> | CheckResult;
}

/** One row of an endpoint's answer. */
export interface CheckReport extends CheckResult {
  name: string;
}

/** How long a readiness or liveness check may take before it counts as failed. */
export const CHECK_TIMEOUT_MS = 2500;

/** Runs checks in parallel with a timeout each; a check already running is awaited, not started again. */
export class CheckRunner {
  private readonly inflight = new Map<Check, Promise<CheckResult>>();

  constructor(private readonly timeoutMs = CHECK_TIMEOUT_MS) {}

  /** One report per check, in the order given. */
  runAll(checks: readonly Check[]): Promise<CheckReport[]> {
    return Promise.all(checks.map(async (c) => ({ name: c.name, ...(await this.runOne(c)) })));
  }

  private async runOne(check: Check): Promise<CheckResult> {
    let running = this.inflight.get(check);
    if (!running) {
      running = settle(check).finally(() => this.inflight.delete(check));
      this.inflight.set(check, running);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, detail: `no answer within ${this.timeoutMs} ms` }),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([running, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function settle(check: Check): Promise<CheckResult> {
  try {
    return await check.run();
  } catch (err) {
    return { ok: false, detail: causeText(err) };
  }
}

/** Options of {@link loopCheck}. */
export interface LoopCheckOptions {
  name: string;
  /** When the loop last completed a round (ms since the epoch), undefined before the first. */
  lastAt: () => number | undefined;
  /** The loop counts as dead when its last round is older than this. */
  staleAfterMs: number;
  /** Before the first round, the grace is counted from here (default: when the check was made). */
  since?: number;
}

/**
 * Liveness of a periodic loop (a worker's converge loop): ok while its last round, or its start before the first
 * round, is recent. A loop that merely fails (MySQL down) still completes rounds and stays alive; one that hangs
 * does not.
 */
export function loopCheck(opts: LoopCheckOptions): Check {
  const since = opts.since ?? Date.now();
  return {
    name: opts.name,
    run() {
      const last = opts.lastAt();
      const age = Date.now() - (last ?? since);
      const ok = age <= opts.staleAfterMs;
      const what = last === undefined ? 'no round completed yet, started' : 'last round';
      return {
        ok,
        detail: `${what} ${(age / 1000).toFixed(1)} s ago (stale after ${opts.staleAfterMs / 1000} s)`,
      };
    },
  };
}

/** A loop polling every `intervalMs` is stale after three missed rounds, and never sooner than 60 s. */
export function staleAfterMs(intervalMs: number): number {
  return Math.max(3 * intervalMs, 60_000);
}
