import { describe, expect, it } from 'vitest';
import { FeedctlError } from '../../../src/errors.js';
import { backoffDelay, retry } from '../../../src/runtime/retry.js';

const transient = () =>
  new FeedctlError('MYSQL_UNREACHABLE', 'down', { subsystem: 'mysql', action: 'connect', retriable: true });
const terminal = () =>
  new FeedctlError('MYSQL_QUERY_FAILED', 'no table', { subsystem: 'mysql', action: 'q' });

function failing(errors: Error[], value = 'ok') {
  let calls = 0;
  const fn = async () => {
    const err = errors[calls++];
    if (err) throw err;
    return value;
  };
  return { fn, calls: () => calls };
}

describe('retry', () => {
  it('retries retriable FeedctlErrors until success, telling onRetry each time', async () => {
    const f = failing([transient(), transient()]);
    const seen: Array<[number, number]> = [];
    const out = await retry(f.fn, { initialDelayMs: 1, onRetry: (_e, n, d) => seen.push([n, d]) });
    expect(out).toBe('ok');
    expect(f.calls()).toBe(3);
    expect(seen.map(([n]) => n)).toEqual([1, 2]);
  });

  it('throws terminal FeedctlErrors and programmer errors at once', async () => {
    const a = failing([terminal()]);
    await expect(retry(a.fn, { initialDelayMs: 1 })).rejects.toThrow(/no table/);
    expect(a.calls()).toBe(1);
    const b = failing([new TypeError('bug')]);
    await expect(retry(b.fn, { initialDelayMs: 1 })).rejects.toThrow(TypeError);
    expect(b.calls()).toBe(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const f = failing([transient(), transient(), transient()]);
    await expect(retry(f.fn, { initialDelayMs: 1, maxAttempts: 2 })).rejects.toThrow(/down/);
    expect(f.calls()).toBe(2);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const ac = new AbortController();
    const f = failing(Array.from({ length: 100 }, transient));
    const started = Date.now();
    const p = retry(f.fn, { signal: ac.signal, initialDelayMs: 60_000, onRetry: () => ac.abort() });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(f.calls()).toBe(1);
  });

  it('does not call fn once the signal is already aborted', async () => {
    const f = failing([]);
    await expect(retry(f.fn, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(f.calls()).toBe(0);
  });

  it('backs off exponentially with equal jitter, capped', () => {
    const at = (n: number, r: number) =>
      backoffDelay(n, { initialDelayMs: 100, maxDelayMs: 1000, random: () => r });
    expect([1, 2, 3, 4, 5].map((n) => at(n, 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => at(n, 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(at(1000, 0)).toBe(500);
  });
});
