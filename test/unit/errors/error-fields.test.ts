import { describe, expect, it } from 'vitest';
import { errorFields, FeedctlError } from '../../../src/errors.js';

const fenced = new FeedctlError('LAKE_STATE_INVALID', 'commit record 3 exists already: partition fenced', {
  subsystem: 'lake',
  action: 'commit',
  context: { reason: 'fenced', commits: 'x' },
});

describe('errorFields', () => {
  it('gives the code and reason of a FeedctlError, found through causes', () => {
    expect(errorFields(fenced)).toEqual({ code: 'LAKE_STATE_INVALID', reason: 'fenced' });
    expect(errorFields(new Error('outer', { cause: fenced }))).toEqual({
      code: 'LAKE_STATE_INVALID',
      reason: 'fenced',
    });
  });

  it('gives the code alone when there is no reason, and nothing for other values', () => {
    const plain = new FeedctlError('MYSQL_UNREACHABLE', 'down', { subsystem: 'mysql', action: 'connect' });
    expect(errorFields(plain)).toEqual({ code: 'MYSQL_UNREACHABLE' });
    expect(errorFields(new Error('x'))).toEqual({});
    expect(errorFields('text')).toEqual({});
  });
});
