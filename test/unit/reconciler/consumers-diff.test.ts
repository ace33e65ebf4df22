import { describe, expect, it } from 'vitest';
import { desiredConsumers } from '../../../src/reconciler/consumers/desired.js';
import { diffConsumers } from '../../../src/reconciler/consumers/diff.js';
import type { ObservedConsumer } from '../../../src/reconciler/consumers/observe.js';
import { specHash } from '../../../src/feeds/runtime-spec.js';
import { feedSpec } from '../../helpers/feed-spec.js';

const feed = feedSpec({ name: 'events' });
const row = (o: Partial<ObservedConsumer> = {}): Map<string, ObservedConsumer> =>
  new Map([
    [
      'events',
      { feed: 'events', generation: 2, specHash: specHash(feed), destinations: ['lake', 'warehouse'], ...o },
    ],
  ]);
const gen = (n: number) => () => n;
const why = () => 'manifest removed';

describe('consumer diff', () => {
  it('starts consumers of a new enabled feed, with its destinations', () => {
    const { changes } = diffConsumers(desiredConsumers([feed]), new Map(), gen(1), why);
    expect(changes).toEqual([
      expect.objectContaining({
        action: 'create',
        after: { generation: 1, specHash: specHash(feed), destinations: ['lake', 'warehouse'] },
      }),
    ]);
  });

  it('does nothing when the row matches the registry generation and spec', () => {
    expect(diffConsumers(desiredConsumers([feed]), row(), gen(2), why).changes).toEqual([]);
  });

  it('restarts when the spec hash changed, at the next generation', () => {
    const { changes } = diffConsumers(desiredConsumers([feed]), row({ specHash: 'old' }), gen(3), why);
    expect(changes).toEqual([
      expect.objectContaining({
        action: 'update',
        before: expect.objectContaining({ generation: 2 }),
        after: expect.objectContaining({ generation: 3 }),
      }),
    ]);
  });

  it('stops consumers of removed or disabled feeds, and of feeds without a destination', () => {
    expect(diffConsumers([], row(), gen(2), why).changes[0]).toMatchObject({
      action: 'delete',
      reason: 'workers stop consuming: manifest removed',
    });
    expect(desiredConsumers([{ ...feed, enabled: false }])).toEqual([]);
    expect(desiredConsumers([feedSpec({ name: 'x', table: null, lake: false })])).toEqual([]);
  });
});
