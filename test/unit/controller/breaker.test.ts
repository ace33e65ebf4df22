import { describe, expect, it } from 'vitest';
import { breakerReasons, removedFeeds } from '../../../src/controller/breaker.js';
import type { Change, Plan } from '../../../src/reconciler/plan/types.js';

const LIMITS = { maxShare: 0.25, maxFeeds: 10 };

function change(o: Partial<Change> & Pick<Change, 'kind' | 'id' | 'action'>): Change {
  return { feed: o.id, before: null, after: null, destructive: false, reason: '', ...o };
}
const disable = (feed: string) =>
  change({
    kind: 'registry',
    id: feed,
    action: 'update',
    before: { enabled: true },
    after: { enabled: false },
  });
const dropConsumer = (feed: string) => change({ kind: 'consumer', id: feed, action: 'delete' });

function plan(changes: Change[]): Plan {
  return {
    formatVersion: 1,
    id: 'p',
    createdAt: '2026-11-26T00:00:00.000Z',
    sourceRevision: null,
    options: { allowDestructive: false, prune: false },
    changes,
    errors: [],
    complete: true,
    blocked: changes.some((c) => c.destructive),
    applyable: !changes.some((c) => c.destructive),
  };
}

describe('blast-radius breaker', () => {
  it('counts each feed a plan disables or whose consumers it deletes once', () => {
    expect(
      removedFeeds([
        disable('a'),
        dropConsumer('a'),
        dropConsumer('b'),
        change({ kind: 'topic', id: 't', action: 'create' }),
      ]),
    ).toEqual(['a', 'b']);
  });

  it('trips when the manifests declare no feed while feeds are enabled', () => {
    const reasons = breakerReasons(
      { plan: plan([disable('a'), disable('b'), disable('c')]), desiredFeeds: 0, enabledFeeds: 3 },
      LIMITS,
    );
    expect(reasons[0]).toBe(
      'the manifests declare no feed while 3 are enabled (an empty or missing feeds folder?)',
    );
    expect(reasons[1]).toMatch(
      /^it would disable or delete 3 of 3 enabled feeds \(a, b, c\), more than 25 %$/,
    );
  });

  it('lets one feed go, refuses two of three, and more than maxFeeds at once', () => {
    expect(
      breakerReasons(
        { plan: plan([disable('a'), dropConsumer('a')]), desiredFeeds: 2, enabledFeeds: 3 },
        LIMITS,
      ),
    ).toEqual([]);
    expect(
      breakerReasons({ plan: plan([disable('a'), disable('b')]), desiredFeeds: 1, enabledFeeds: 3 }, LIMITS),
    ).toEqual(['it would disable or delete 2 of 3 enabled feeds (a, b), more than 25 %']);
    const many = Array.from({ length: 11 }, (_, i) => disable(`f${i}`));
    expect(breakerReasons({ plan: plan(many), desiredFeeds: 100, enabledFeeds: 111 }, LIMITS)).toEqual([
      'it would disable or delete 11 feeds at once (limit 10)',
    ]);
    expect(
      breakerReasons({ plan: plan(many.slice(0, 10)), desiredFeeds: 100, enabledFeeds: 110 }, LIMITS),
    ).toEqual([]);
  });

  it('trips on any destructive change', () => {
    const drop = change({ kind: 'column', id: 'fact_a.note', action: 'delete', destructive: true });
    expect(breakerReasons({ plan: plan([drop]), desiredFeeds: 3, enabledFeeds: 3 }, LIMITS)).toEqual([
      'it holds 1 destructive change(s): delete column fact_a.note',
    ]);
  });

  it('does not trip on a plan that only creates and updates', () => {
    const p = plan([
      change({ kind: 'topic', id: 't', action: 'create' }),
      change({
        kind: 'registry',
        id: 'a',
        action: 'update',
        before: { enabled: false },
        after: { enabled: true },
      }),
    ]);
    expect(breakerReasons({ plan: p, desiredFeeds: 1, enabledFeeds: 0 }, LIMITS)).toEqual([]);
  });
});
