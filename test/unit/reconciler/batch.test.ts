import { describe, expect, it } from 'vitest';
import { batchGroups, firstFailure, outcomeAt, untilFailure } from '../../../src/reconciler/batch.js';
import type { Action, Change, ResourceKind } from '../../../src/reconciler/plan/types.js';

const c = (kind: ResourceKind, action: Action, id: string): Change => ({
  kind,
  id,
  feed: null,
  action,
  before: null,
  after: null,
  destructive: false,
  reason: '',
});

const creates = (kind: ResourceKind, action: Action) => action === 'create' && kind !== 'grant';
const ids = (groups: Change[][]) => groups.map((g) => g.map((x) => x.id));

describe('batch groups', () => {
  it('groups consecutive batchable changes of one kind and action, keeping plan order', () => {
    const plan = [
      c('topic', 'create', 't1'),
      c('topic', 'create', 't2'),
      c('topic', 'update', 't3'),
      c('topic', 'create', 't4'),
      c('table', 'create', 'a'),
      c('table', 'create', 'b'),
      c('grant', 'create', 'g1'),
      c('grant', 'create', 'g2'),
      c('consumer', 'create', 'c1'),
    ];
    const groups = batchGroups(plan, creates);
    expect(ids(groups)).toEqual([['t1', 't2'], ['t3'], ['t4'], ['a', 'b'], ['g1'], ['g2'], ['c1']]);
    expect(groups.flat()).toEqual(plan);
  });

  it('never joins two kinds, even when both are batchable', () => {
    const groups = batchGroups([c('registry', 'create', 'f'), c('retention', 'create', 'f')], creates);
    expect(ids(groups)).toEqual([['f'], ['f']]);
  });

  it('cuts a long run into batches of at most the given size', () => {
    const run = ['a', 'b', 'c', 'd', 'e'].map((id) => c('topic', 'create', id));
    expect(ids(batchGroups(run, creates, 2))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('has no group for no changes', () => {
    expect(batchGroups([], creates)).toEqual([]);
  });
});

describe('outcome of a batch that failed part-way', () => {
  const topics = ['a', 'b', 'c', 'd', 'e'].map((id) => c('topic', 'create', id));

  it('maps per-item errors to plan order: applied up to the first failure, it failed, the rest skipped', () => {
    // The broker refused c and e (as kafkajs reports per-topic CreateTopics errors), in any order.
    const refused = new Map([
      ['e', 'INVALID_CONFIG: Configuration is invalid'],
      ['c', 'INVALID_TOPIC_EXCEPTION: collides with an existing topic'],
    ]);
    const outcome = firstFailure(topics, (t) => refused.get(t.id) ?? null);
    expect(outcome).toEqual({
      applied: 2,
      error: 'INVALID_TOPIC_EXCEPTION: collides with an existing topic',
    });
    expect(topics.map((_, i) => outcomeAt(i, outcome))).toEqual([
      'applied',
      'applied',
      'failed',
      'skipped',
      'skipped',
    ]);
  });

  it('is all applied without an error, and the first failed when it fails', () => {
    const all = firstFailure(topics, () => null);
    expect(all).toEqual({ applied: 5, error: null });
    expect(topics.map((_, i) => outcomeAt(i, all))).toEqual(Array(5).fill('applied'));
    const first = { applied: 0, error: 'boom' };
    expect(topics.map((_, i) => outcomeAt(i, first))).toEqual([
      'failed',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
  });

  it('stops a sequence of statements at the first one that throws', async () => {
    const ran: string[] = [];
    const outcome = await untilFailure(topics, async (t) => {
      ran.push(t.id);
      if (t.id === 'b') throw new Error('Table already exists');
    });
    expect(ran).toEqual(['a', 'b']);
    expect(outcome).toEqual({ applied: 1, error: 'Table already exists' });
  });
});
