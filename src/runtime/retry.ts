/**
 * Retrying transient failures in the runtime: jittered exponential backoff around an async call. Only a
 * FeedctlError with `retriable: true` is retried (MySQL or Kafka unreachable, deadlock …); anything else — a
 * terminal FeedctlError, a programmer error (TypeError …) — is thrown at once. By default it retries forever,
 * which is how a consumer pauses while MySQL is down; the AbortSignal ends it on shutdown.
 */
import { causeText, FeedctlError } from '../errors.js';

export interface RetryOptions {
  /** Aborting stops the waiting (and further attempts) at once; `retry` then throws the signal's reason. */
  signal?: AbortSignal;
  /** First delay before jitter (default 100 ms); it doubles per attempt up to `maxDelayMs`. */
  initialDelayMs?: number;
  /** Cap of the delay (default 30 s). */
  maxDelayMs?: number;
  /** Attempts in all, the first included (default: unlimited). The last failure is thrown. */
  maxAttempts?: number;
  /** Called before each wait, e.g. to log and to pause a consumer. */
  onRetry?: (err: FeedctlError, attempt: number, delayMs: number) => void;
  /** Source of jitter in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/** True when `err` may succeed if tried again. */
export function isRetriable(err: unknown): err is FeedctlError {
  return err instanceof FeedctlError && err.retriable;
}

/**
 * The wait before retry number `attempt` (1-based): `base = min(max, initial·2^(attempt-1))`, then "equal jitter"
 * in [base/2, base), which spreads retrying consumers apart while keeping the delay growing.
 */
export function backoffDelay(attempt: number, opts: RetryOptions = {}): number {
  const initial = opts.initialDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 30_000;
  const base = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(base / 2 + (opts.random ?? Math.random)() * (base / 2));
}

/** Calls `fn` (with the 1-based attempt number) until it succeeds, retrying retriable FeedctlErrors. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? Infinity;
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetriable(err) || attempt >= maxAttempts) throw err;
      const delayMs = backoffDelay(attempt, opts);
      opts.onRetry?.(err, attempt, delayMs);
      await sleep(delayMs, opts.signal);
    }
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for `work` until `deadline` (epoch ms) and says how it ended: `done`, `timeout` or its error. Never throws. */
export async function settleWithin(work: Promise<unknown>, deadline: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((r) => {
    timer = setTimeout(r, Math.max(0, deadline - Date.now()), 'timeout');
  });
  try {
    return await Promise.race([
      work.then(
        () => 'done',
        (err: unknown) => causeText(err),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
