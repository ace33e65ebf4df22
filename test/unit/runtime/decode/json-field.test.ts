import { describe, expect, it } from 'vitest';
import { decodeField, error, type Outcome } from './decode-helpers.js';

const CASES: [string, Outcome][] = [
  ['{ "a" : [1, 2.50, null, true] }', '{"a":[1,2.50,null,true]}'],
  ['12345678901234567890', '12345678901234567890'],
  ['1.10e+2', '1.10e+2'],
  ['"text \\"quoted\\" \\u00e9"', '"text \\"quoted\\" é"'],
  ['[]', '[]'],
  ['{}', '{}'],
  ['false', 'false'],
  ['null', error('/v: must not be null')],
];

describe('json field', () => {
  it.each(CASES)('%s', (json, expected) => {
    expect(decodeField({ kind: 'json' }, json)).toEqual(expected);
  });

  it('stores JSON null of a nullable field as SQL NULL', () => {
    expect(decodeField({ kind: 'json' }, 'null', 'fast', true)).toBeNull();
  });
});
