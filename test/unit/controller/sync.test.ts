/** Sync states from one compare: invalid manifest, failed, blocked, in sync, drift, changes pending, and `since`. */
import { describe, expect, it } from 'vitest';
import type { FeedSync } from '../../../src/control/feed-sync.js';
import { describeChange, specHash, syncStates, type CompareInput } from '../../../src/controller/sync.js';
import type { Change, Plan } from '../../../src/reconciler/plan/types.js';
import { feedSpec } from '../../helpers/feed-spec.js';

const spec = feedSpec({ name: 'orders' });
const T0 = '2026-11-27T10:00:00.000Z';
const T1 = '2026-11-27T10:05:00.000Z';

const topicChange: Change = {
  kind: 'topic',
  id: 'orders',
  feed: 'orders',
  action: 'update',
  before: { partitions: 3, configs: { 'retention.ms': '1234567' } },
  after: { partitions: 3, configs: { 'retention.ms': '604800000' } },
  destructive: false,
  reason: 'configs differ',
};

function plan(changes: Change[] = [], errors: Plan['errors'] = []): Plan {
  return {
    formatVersion: 1,
    id: 'p1',
    createdAt: T1,
    sourceRevision: null,
    options: { allowDestructive: false, prune: false },
    changes,
    errors,
    complete: true,
    blocked: false,
    applyable: errors.length === 0,
  };
}

function input(o: Partial<CompareInput> = {}): CompareInput {
  return {
    plan: plan(),
    feeds: [spec],
    invalid: [],
    outcome: 'refresh',
    reasons: [],
    previous: new Map(),
    manifests: new Map([['orders', 'kind: Feed\n']]),
    at: T1,
    recordedBy: 'ctl',
    ...o,
  };
}

const previous = (o: Partial<FeedSync>): Map<string, FeedSync> =>
  new Map([['orders', { ...syncStates(input({ at: T0 }))[0]!, ...o }]]);

describe('syncStates', () => {
  it('finds a feed without changes in sync, remembering its spec as applied', () => {
    const [s] = syncStates(input());
    expect(s).toMatchObject({
      feed: 'orders',
      state: 'in sync',
      detail: null,
      appliedHash: specHash(spec),
      since: T1,
    });
    expect(s?.manifest).toBe('kind: Feed\n');
    expect(s?.summary).toMatchObject({ type: 'stream', topic: spec.topic.name });
  });

  it('calls changes for the spec last applied drift, naming what differs, and keeps `since` while it lasts', () => {
    const prev = previous({ state: 'drift', since: T0 });
    const [s] = syncStates(input({ plan: plan([topicChange]), previous: prev }));
    expect(s).toMatchObject({ state: 'drift', since: T0 });
    expect(s?.detail).toBe('update topic orders: configs.retention.ms 1234567 → 604800000');
    expect((s?.plan as Plan).changes).toEqual([topicChange]);
  });

  it('calls changes for a new or edited spec changes pending', () => {
    const [s] = syncStates(
      input({ plan: plan([topicChange]), previous: previous({ appliedHash: 'other' }) }),
    );
    expect(s?.state).toBe('changes pending');
    expect(syncStates(input({ plan: plan([topicChange]) }))[0]?.state).toBe('changes pending');
  });

  it('is in sync once the changes are applied', () => {
    const [s] = syncStates(
      input({ plan: plan([topicChange]), outcome: 'applied', previous: previous({ appliedHash: 'old' }) }),
    );
    expect(s).toMatchObject({ state: 'in sync', appliedHash: specHash(spec) });
  });

  it('says blocked when the breaker refused, failed when the run or the plan failed', () => {
    const blocked = syncStates(
      input({ plan: plan([topicChange]), outcome: 'breaker', reasons: ['2 of 3 feeds disabled'] }),
    );
    expect(blocked[0]).toMatchObject({ state: 'blocked', detail: 'breaker: 2 of 3 feeds disabled' });
    const failed = syncStates(
      input({ plan: plan([topicChange]), outcome: 'failed', reasons: ['broker down'] }),
    );
    expect(failed[0]).toMatchObject({ state: 'failed', detail: 'broker down' });
    const error = {
      kind: 'topic' as const,
      id: 'orders',
      feed: 'orders',
      message: 'fewer partitions',
      remedy: 'new topic',
    };
    expect(syncStates(input({ plan: plan([], [error]) }))[0]).toMatchObject({
      state: 'failed',
      detail: 'topic orders: fewer partitions (new topic)',
    });
  });

  it('lets a refresh keep a blocked or failed feed so while its changes remain', () => {
    const prev = previous({ state: 'blocked', detail: 'breaker: too many', since: T0 });
    const [s] = syncStates(input({ plan: plan([topicChange]), previous: prev }));
    expect(s).toMatchObject({ state: 'blocked', detail: 'breaker: too many', since: T0 });
    expect(syncStates(input({ previous: prev }))[0]?.state).toBe('in sync');
  });

  it('says invalid manifest with the diagnostic, before anything else, and keeps the applied spec', () => {
    const invalid = [
      {
        file: 'feeds/orders.yaml',
        error: '3:7 bad indentation',
        keeps: ['orders'],
        how: 'last valid spec' as const,
      },
    ];
    const [s] = syncStates(
      input({ invalid, plan: plan([topicChange]), previous: previous({ appliedHash: 'kept' }) }),
    );
    expect(s).toMatchObject({
      state: 'invalid manifest',
      detail: 'feeds/orders.yaml 3:7 bad indentation',
      appliedHash: 'kept',
    });
  });
});

describe('describeChange', () => {
  it('names the action alone for creates and deletes, and at most three differences for updates', () => {
    expect(describeChange({ ...topicChange, action: 'create', before: null })).toBe('create topic orders');
    const wide = { ...topicChange, before: { a: 1, b: 1, c: 1, d: 1 }, after: { a: 2, b: 2, c: 2, d: 2 } };
    expect(describeChange(wide)).toBe('update topic orders: a 1 → 2, b 1 → 2, c 1 → 2');
  });
});
