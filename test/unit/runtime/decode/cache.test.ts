import { describe, expect, it } from 'vitest';
import { compileFeedSchema } from '../../../../src/runtime/decode/schema.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';

const fields = [field('id', { kind: 'string', maxLength: 10 }), field('n', { kind: 'int' }, true)];
const spec = feedSpec({ name: 'cache_feed', fields, key: ['id'], eventTimeField: null });

describe('validator compile cache', () => {
  it('returns the same validator for the same feed and generation', () => {
    expect(compileFeedSchema(spec, 3)).toBe(compileFeedSchema(structuredClone(spec), 3));
  });

  it('compiles a new validator for a new generation', () => {
    const g3 = compileFeedSchema(spec, 3);
    const g4 = compileFeedSchema(spec, 4);
    expect(g4).not.toBe(g3);
    expect(compileFeedSchema(spec, 4)).toBe(g4);
  });

  it('does not mix up feeds, nor specs changed without a new generation', () => {
    const g3 = compileFeedSchema(spec, 3);
    expect(compileFeedSchema({ ...spec, name: 'other_feed' }, 3)).not.toBe(g3);
    const widened = feedSpec({
      name: 'cache_feed',
      fields: [field('id', { kind: 'string', maxLength: 20 }), field('n', { kind: 'int' }, true)],
      key: ['id'],
      eventTimeField: null,
    });
    const v = compileFeedSchema(widened, 3);
    expect(v).not.toBe(g3);
    expect(v({ id: 'x'.repeat(15) })).toBe(true);
    expect(g3({ id: 'x'.repeat(15) })).toBe(false);
  });
});
