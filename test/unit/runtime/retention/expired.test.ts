import { describe, expect, it } from 'vitest';
import { expiredOf, type LedgerVersion } from '../../../../src/runtime/retention/plan.js';

const H = 3_600_000;
const NOW = 100 * H;
const pub = (version: number, hoursAgo: number): LedgerVersion => ({
  version,
  state: 'published',
  publishedMs: NOW - hoursAgo * H,
  updatedMs: NOW - hoursAgo * H,
});
const incomplete = (version: number, hoursAgo: number): LedgerVersion => ({
  version,
  state: 'incomplete',
  publishedMs: null,
  updatedMs: NOW - hoursAgo * H,
});

describe('expired table versions', () => {
  it('keeps the newest `keep` published versions and lets older ones go after the grace period', () => {
    const skipped: string[] = [];
    const r = expiredOf([pub(1, 30), pub(2, 20), pub(3, 10), pub(4, 2)], 2, NOW, H, 'lake', skipped);
    expect(r.gone.map((v) => v.version)).toEqual([1, 2]);
    expect(r.cutoff).toBe('version 3');
    expect(skipped).toEqual([]);
  });

  it('keeps a version whose pusher was published within the grace period', () => {
    const skipped: string[] = [];
    // version 4 (published 30 minutes ago) pushed version 2 out of the newest two
    const r = expiredOf([pub(1, 30), pub(2, 20), pub(3, 10), pub(4, 0.5)], 2, NOW, H, 'warehouse', skipped);
    expect(r.gone.map((v) => v.version)).toEqual([1]);
    expect(skipped).toEqual(['warehouse version 2: in its grace period, kept for now']);
  });

  it('with keep 1, the previous latest stays for the grace period after the new one is published', () => {
    expect(expiredOf([pub(1, 5), pub(2, 0.1)], 1, NOW, H, 'lake', []).gone).toEqual([]);
    expect(expiredOf([pub(1, 5), pub(2, 1)], 1, NOW, H, 'lake', []).gone.map((v) => v.version)).toEqual([1]);
  });

  it('lets incomplete versions below the newest published go after the grace period, never newer ones', () => {
    const versions = [pub(2, 10), incomplete(1, 12), incomplete(3, 5), pub(4, 3), incomplete(5, 10)];
    expect(expiredOf(versions, 5, NOW, H, 'lake', []).gone.map((v) => v.version)).toEqual([1, 3]);
    expect(expiredOf([pub(4, 3), incomplete(3, 0.5)], 5, NOW, H, 'lake', []).gone).toEqual([]);
  });

  it('deletes nothing when there are no more published versions than kept', () => {
    const r = expiredOf([pub(1, 50), pub(2, 40)], 2, NOW, 0, 'lake', []);
    expect(r).toEqual({ gone: [], cutoff: 'version 1' });
    expect(expiredOf([], 2, NOW, 0, 'lake', [])).toEqual({ gone: [], cutoff: 'none' });
  });
});
