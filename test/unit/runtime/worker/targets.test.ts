import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../../src/runtime/worker/targets.js';
import { feedSpec } from '../../../helpers/feed-spec.js';

describe('a consumer row read by a worker', () => {
  it('gives each field of a row written before properties existed its name as property', () => {
    const spec = feedSpec();
    const old = {
      ...spec,
      schema: { ...spec.schema, fields: spec.schema.fields.map(({ property: _p, ...rest }) => rest) },
    };
    expect(parseSpec(JSON.stringify(old))).toEqual(spec);
  });

  it('keeps a mapped property as stored (MySQL returns JSON parsed, MariaDB as text)', () => {
    const spec = feedSpec();
    const [first, ...rest] = spec.schema.fields;
    const mapped = {
      ...spec,
      schema: { ...spec.schema, fields: [{ ...first!, property: 'eventId' }, ...rest] },
    };
    expect(parseSpec(mapped)).toEqual(mapped);
    expect(parseSpec(JSON.stringify(mapped))).toEqual(mapped);
  });
});
