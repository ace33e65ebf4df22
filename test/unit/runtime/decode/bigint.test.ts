import { describe, expect, it } from 'vitest';
import { decodeField, error, type Outcome } from './decode-helpers.js';

const RANGE =
  'must be an integer from -9223372036854775808 to 9223372036854775807 (a number or a string of digits)';

const CASES: [string, Outcome][] = [
  ['0', 0n],
  ['-0', 0n],
  ['9223372036854775807', 9223372036854775807n],
  ['-9223372036854775808', -9223372036854775808n],
  ['"9223372036854775807"', 9223372036854775807n],
  ['"-9223372036854775808"', -9223372036854775808n],
  ['"007"', 7n],
  ['1e18', 10n ** 18n],
  ['12.0', 12n],
  ['9223372036854775808', error(`/v: ${RANGE} (got 9223372036854775808)`)],
  ['-9223372036854775809', error(`/v: ${RANGE} (got -9223372036854775809)`)],
  ['"9223372036854775808"', error(`/v: ${RANGE} (got "9223372036854775808")`)],
  ['"-9223372036854775809"', error(`/v: ${RANGE} (got "-9223372036854775809")`)],
  ['1e19', error(`/v: ${RANGE} (got 1e19)`)],
  ['1e999999999', error(`/v: ${RANGE} (got 1e999999999)`)],
  ['1.5', error(`/v: ${RANGE} (got 1.5)`)],
  ['"1.5"', error(`/v: ${RANGE} (got "1.5")`)],
  ['"12a"', error(`/v: ${RANGE} (got "12a")`)],
  ['""', error(`/v: ${RANGE} (got "")`)],
  ['false', error(`/v: ${RANGE} (got false)`)],
];

describe('bigint field (always the lossless path)', () => {
  it.each(CASES)('%s', (json, expected) => {
    expect(decodeField({ kind: 'bigint' }, json)).toEqual(expected);
  });

  it('keeps all 19 digits of a value beyond 2^53, which a float would round', () => {
    expect(decodeField({ kind: 'bigint' }, '9007199254740993')).toBe(9007199254740993n);
  });
});
