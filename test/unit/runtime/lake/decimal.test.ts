import { describe, expect, it } from 'vitest';
import { unscaledDecimal, writeDecimal128 } from '../../../../src/runtime/lake/decimal.js';

/** Encodes one value and reads the 128-bit two's complement back as a bigint. */
function roundTrip(text: string, precision: number, scale: number): bigint {
  const words = new Uint32Array(8);
  const big = new BigInt64Array(words.buffer);
  words.fill(0xdeadbeef); // slot 1 must end up fully overwritten too
  writeDecimal128(words, big, 1, unscaledDecimal(text, precision, scale));
  return BigInt.asIntN(128, (BigInt.asUintN(64, big[3]!) << 64n) | BigInt.asUintN(64, big[2]!));
}

describe('decimal text to Decimal128 words', () => {
  it.each([
    ['0.00', 15, 2, 0n],
    ['-0.00', 15, 2, 0n],
    ['12.34', 15, 2, 1234n],
    ['-12.34', 15, 2, -1234n],
    ['-0.01', 15, 2, -1n],
    ['12.3', 15, 2, 1230n],
    ['12', 15, 2, 1200n],
    ['.5', 15, 2, 50n],
    ['+7.00', 15, 2, 700n],
    ['0000012.00', 4, 2, 1200n],
    ['9999999999999.99', 15, 2, 999999999999999n],
    ['-99999999999999.99', 16, 2, -9999999999999999n],
    ['-9007199254740993', 18, 0, -9007199254740993n],
    ['99999999999999999999999999999999999999', 38, 0, 10n ** 38n - 1n],
    ['-999999999999999999999999999999.99999999', 38, 8, -(10n ** 38n - 1n)],
    ['-170141183460469231731687303715884105727', 39, 0, -(2n ** 127n - 1n)],
  ])('%s as decimal(%i,%i) is %s unscaled', (text, p, s, want) => {
    expect(roundTrip(text, p, s)).toBe(want);
  });

  it.each([
    ['1.234', 15, 2, 'fraction digits'],
    ['123.45', 4, 2, 'too many digits'],
    ['1e5', 15, 2, 'plain decimal'],
    ['', 15, 2, 'plain decimal'],
    ['-', 15, 2, 'plain decimal'],
    ['.', 15, 2, 'plain decimal'],
    ['12.3.4', 15, 2, 'plain decimal'],
    [' 1.00', 15, 2, 'plain decimal'],
  ])('refuses %j at decimal(%i,%i)', (text, p, s, why) => {
    expect(() => unscaledDecimal(text, p, s)).toThrow(why);
  });

  it('parses short values as exact numbers and long ones as bigints', () => {
    expect(unscaledDecimal('1234567890123.45', 15, 2)).toBe(123456789012345);
    expect(unscaledDecimal('12345678901234.56', 16, 2)).toBe(1234567890123456n);
  });
});
