import { describe, expect, it } from 'vitest';
import { createDecoder, isFailure } from '../../../../src/runtime/decode/decoder.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';
import { message } from './decode-helpers.js';

describe('decoder counters', () => {
  it('count decoded messages and failures by stage, per decoder', () => {
    const spec = feedSpec({ fields: [field('id', { kind: 'int' })], key: ['id'], eventTimeField: null });
    const d = createDecoder(spec, 1);
    const outs = ['{"id":1}', '{"id":2}', 'x', '[]', '{"id":"x"}', '{"id":3}'].map((v) =>
      d.decode(message(v)),
    );
    expect(outs.map(isFailure)).toEqual([false, false, true, true, true, false]);
    expect(d.counters).toEqual({ decoded: 3, failed: { parse: 2, schema: 1, snapshot: 0 } });
    expect(createDecoder(spec, 1).counters).toEqual({
      decoded: 0,
      failed: { parse: 0, schema: 0, snapshot: 0 },
    });
  });
});
