/** The liveness check of a periodic loop, and the threshold it uses. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loopCheck, staleAfterMs } from '../../../src/health/checks.js';

afterEach(() => vi.useRealTimers());

describe('staleAfterMs', () => {
  it('is three rounds, and never under 60 s', () => {
    expect(staleAfterMs(2000)).toBe(60_000);
    expect(staleAfterMs(30_000)).toBe(90_000);
  });
});

describe('loopCheck', () => {
  it('is ok during the grace before the first round, and fails once the grace is over', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const loop: { last?: number } = {};
    const check = loopCheck({ name: 'worker', lastAt: () => loop.last, staleAfterMs: 60_000 });
    expect(await check.run()).toEqual({
      ok: true,
      detail: 'no round completed yet, started 0.0 s ago (stale after 60 s)',
    });
    vi.setSystemTime(1_000_000 + 61_000);
    expect((await check.run()).ok).toBe(false);
    loop.last = Date.now() - 1500;
    expect(await check.run()).toEqual({ ok: true, detail: 'last round 1.5 s ago (stale after 60 s)' });
    vi.setSystemTime(Date.now() + 60_000);
    expect(await check.run()).toEqual({ ok: false, detail: 'last round 61.5 s ago (stale after 60 s)' });
  });
});
