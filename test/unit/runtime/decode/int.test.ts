import { describe, expect, it } from 'vitest';
import { PATHS, decodeField, error, type Outcome } from './decode-helpers.js';

const RANGE = 'must be an integer from -2147483648 to 2147483647';

const CASES: [string, Outcome][] = [
  ['0', 0],
  ['-0', 0],
  ['42', 42],
  ['2147483647', 2147483647],
  ['-2147483648', -2147483648],
  ['1.0', 1],
  ['1e3', 1000],
  ['2147483648', error(`/v: ${RANGE} (got 2147483648)`)],
  ['-2147483649', error(`/v: ${RANGE} (got -2147483649)`)],
  ['1.5', error(`/v: ${RANGE} (got 1.5)`)],
  ['"1"', error(`/v: ${RANGE} (got "1")`)],
  ['true', error(`/v: ${RANGE} (got true)`)],
  ['4294967296', error(`/v: ${RANGE} (got 4294967296)`)],
];

describe.each(PATHS)('int field, %s path', (path) => {
  it('refuses an integer too long for a float to hold exactly', () => {
    const got = path === 'fast' ? '100000000000000000000' : '99999999999999999999';
    expect(decodeField({ kind: 'int' }, '99999999999999999999', path)).toEqual(
      error(`/v: ${RANGE} (got ${got})`),
    );
  });

  it.each(CASES)('%s', (json, expected) => {
    const out = decodeField({ kind: 'int' }, json, path);
    if (typeof out === 'number') expect(Object.is(out, -0)).toBe(false);
    expect(out).toEqual(expected);
  });
});
