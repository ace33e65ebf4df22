import { describe, expect, it } from 'vitest';
import { orderChanges } from '../../../src/reconciler/order.js';
import type { Change } from '../../../src/reconciler/plan/types.js';

const c = (kind: Change['kind'], action: Change['action'], id: string = kind): Change => ({
  kind,
  id,
  feed: null,
  action,
  before: null,
  after: null,
  destructive: false,
  reason: '',
});

describe('apply order', () => {
  it('puts topics and tables before registry rows and grants, consumers last, and deletes in reverse after them', () => {
    const shuffled = [
      c('consumer', 'create'),
      c('grant', 'create'),
      c('table', 'delete'),
      c('registry', 'update'),
      c('topic', 'create'),
      c('consumer', 'delete'),
      c('column', 'create'),
      c('table', 'create'),
      c('grant', 'delete'),
      c('role', 'create'),
    ];
    expect(orderChanges(shuffled).map((x) => `${x.action} ${x.kind}`)).toEqual([
      'create topic',
      'create table',
      'create column',
      'update registry',
      'create role',
      'create grant',
      'create consumer',
      'delete consumer',
      'delete grant',
      'delete table',
    ]);
  });

  it('keeps the order of changes of one kind', () => {
    const cols = [c('column', 'create', 'b'), c('column', 'create', 'a')];
    expect(orderChanges(cols).map((x) => x.id)).toEqual(['b', 'a']);
  });
});
