import { describe, expect, it } from 'vitest';
import type { FieldType } from '../../../../src/feeds/types.js';
import { decodeField, error, type Outcome } from './decode-helpers.js';

const D15_2: FieldType = { kind: 'decimal', precision: 15, scale: 2 };
const NOT_DECIMAL = 'must be a decimal number or numeric string';
const TOO_PRECISE = 'must have at most 2 decimal places, feedctl does not round';
const TOO_BIG = 'must have at most 13 digits before the decimal point';

const CASES: [string, Outcome][] = [
  ['"12.34"', '12.34'],
  ['12.34', '12.34'],
  ['12.3', '12.30'],
  ['12', '12.00'],
  ['-12.3', '-12.30'],
  ['"-0.00"', '0.00'],
  ['-0', '0.00'],
  ['"-0.001e1"', '-0.01'],
  ['"0012.50"', '12.50'],
  ['"12.340000"', '12.34'],
  ['1.5e3', '1500.00'],
  ['"1.5E-1"', '0.15'],
  ['"2e+2"', '200.00'],
  ['"+5"', '5.00'],
  ['".5"', '0.50'],
  ['"5."', '5.00'],
  ['0.1', '0.10'],
  ['9999999999999.99', '9999999999999.99'],
  ['-9999999999999.99', '-9999999999999.99'],
  ['"0e999999999"', '0.00'],
  ['"12.345"', error(`/v: ${TOO_PRECISE} (got "12.345")`)],
  ['12.345', error(`/v: ${TOO_PRECISE} (got 12.345)`)],
  ['1e-3', error(`/v: ${TOO_PRECISE} (got 1e-3)`)],
  ['99999999999999.99', error(`/v: ${TOO_BIG} (got 99999999999999.99)`)],
  ['1e13', error(`/v: ${TOO_BIG} (got 1e13)`)],
  ['"1e999999999"', error(`/v: ${TOO_BIG} (got "1e999999999")`)],
  ['"1e-999999999"', error(`/v: ${TOO_PRECISE} (got "1e-999999999")`)],
  ['"abc"', error(`/v: ${NOT_DECIMAL} (got "abc")`)],
  ['""', error(`/v: ${NOT_DECIMAL} (got "")`)],
  ['"."', error(`/v: ${NOT_DECIMAL} (got ".")`)],
  ['"NaN"', error(`/v: ${NOT_DECIMAL} (got "NaN")`)],
  ['"1,5"', error(`/v: ${NOT_DECIMAL} (got "1,5")`)],
  ['" 1"', error(`/v: ${NOT_DECIMAL} (got " 1")`)],
  ['true', error(`/v: ${NOT_DECIMAL} (got true)`)],
  ['null', error('/v: must not be null')],
];

describe('decimal(15,2) field', () => {
  it.each(CASES)('%s', (json, expected) => {
    expect(decodeField(D15_2, json)).toEqual(expected);
  });
});

describe('decimal boundaries', () => {
  const D38_10: FieldType = { kind: 'decimal', precision: 38, scale: 10 };
  const max = '9999999999999999999999999999.9999999999';

  it('keeps all 38 digits of decimal(38,10), as number or string', () => {
    expect(decodeField(D38_10, max)).toBe(max);
    expect(decodeField(D38_10, `"-${max}"`)).toBe(`-${max}`);
    expect(decodeField(D38_10, '1234567890123456789012345678.0123456789')).toBe(
      '1234567890123456789012345678.0123456789',
    );
  });

  it('refuses a 39th digit on either side', () => {
    expect(decodeField(D38_10, `9${max}`)).toEqual(
      error(`/v: must have at most 28 digits before the decimal point (got 9${max})`),
    );
    expect(decodeField(D38_10, `${max}9`)).toEqual(
      error(`/v: must have at most 10 decimal places, feedctl does not round (got ${max}9)`),
    );
  });

  it('writes scale 0 without a decimal point', () => {
    const D10_0: FieldType = { kind: 'decimal', precision: 10, scale: 0 };
    expect(decodeField(D10_0, '"5.0"')).toBe('5');
    expect(decodeField(D10_0, '-5e2')).toBe('-500');
    expect(decodeField(D10_0, '5.5')).toEqual(
      error('/v: must have at most 0 decimal places, feedctl does not round (got 5.5)'),
    );
  });

  it('handles a scale larger than the exponent shift', () => {
    const D30_30: FieldType = { kind: 'decimal', precision: 30, scale: 30 };
    expect(decodeField(D30_30, '1e-30')).toBe(`0.${'0'.repeat(29)}1`);
    expect(decodeField(D30_30, '1')).toEqual(
      error('/v: must have at most 0 digits before the decimal point (got 1)'),
    );
  });
});

describe('decimal fields sent as strings or as numbers', () => {
  it('gives the same exact value whichever way the producer wrote it, beyond what a float holds', () => {
    const t = { kind: 'decimal', precision: 38, scale: 10 } as const;
    const digits = '1234567890123456789012345678.1234567891';
    expect(decodeField(t, digits)).toBe(digits);
    expect(decodeField(t, JSON.stringify(digits))).toBe(digits);
  });
});
