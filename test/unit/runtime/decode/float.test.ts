import { describe, expect, it } from 'vitest';
import { PATHS, decodeField, error, type Outcome } from './decode-helpers.js';

const FLOAT_RANGE = 'must be a number within the float range ±3.4028234663852886e+38';
const FINITE = 'must be a finite number';

const FLOAT: [string, Outcome][] = [
  ['1.5', 1.5],
  ['-2', -2],
  ['1e-50', 1e-50],
  ['3.4028234663852886e38', 3.4028234663852886e38],
  ['-3.4028234663852886e38', -3.4028234663852886e38],
  // Written as JS prints them, so both paths quote the same text.
  ['3.5e+38', error(`/v: ${FLOAT_RANGE} (got 3.5e+38)`)],
  ['-1e+39', error(`/v: ${FLOAT_RANGE} (got -1e+39)`)],
  ['"1.5"', error(`/v: ${FLOAT_RANGE} (got "1.5")`)],
];

const DOUBLE: [string, Outcome][] = [
  ['0.1', 0.1],
  ['1.7976931348623157e308', 1.7976931348623157e308],
  ['3.5e38', 3.5e38],
  ['null', error('/v: must not be null')],
  ['"NaN"', error(`/v: ${FINITE} (got "NaN")`)],
  ['[1]', error(`/v: ${FINITE} (got [1])`)],
];

describe.each(PATHS)('float and double fields, %s path', (path) => {
  it.each(FLOAT)('float %s', (json, expected) => {
    expect(decodeField({ kind: 'float' }, json, path)).toEqual(expected);
  });

  it.each(DOUBLE)('double %s', (json, expected) => {
    expect(decodeField({ kind: 'double' }, json, path)).toEqual(expected);
  });

  it('refuses a double that overflows to infinity', () => {
    const got = path === 'fast' ? 'Infinity' : '1e400';
    expect(decodeField({ kind: 'double' }, '1e400', path)).toEqual(error(`/v: ${FINITE} (got ${got})`));
  });
});
