import { describe, expect, it } from 'vitest';
import { daysFromCivil } from '../../../../src/runtime/decode/time.js';
import { decodeField, error, type Outcome } from './decode-helpers.js';

const FORMAT = 'must be a date YYYY-MM-DD';
const CALENDAR = 'must be a real calendar date (years 0001-9999)';
const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

const CASES: [string, Outcome][] = [
  ['"1970-01-01"', 0],
  ['"2024-02-29"', days('2024-02-29')],
  ['"2000-02-29"', days('2000-02-29')],
  ['"1969-12-31"', -1],
  ['"0001-01-01"', -719_162],
  ['"9999-12-31"', 2_932_896],
  ['"2023-02-29"', error(`/v: ${CALENDAR} (got "2023-02-29")`)],
  ['"1900-02-29"', error(`/v: ${CALENDAR} (got "1900-02-29")`)],
  ['"2024-04-31"', error(`/v: ${CALENDAR} (got "2024-04-31")`)],
  ['"2024-13-01"', error(`/v: ${CALENDAR} (got "2024-13-01")`)],
  ['"2024-00-10"', error(`/v: ${CALENDAR} (got "2024-00-10")`)],
  ['"0000-12-31"', error(`/v: ${CALENDAR} (got "0000-12-31")`)],
  ['"2024-2-29"', error(`/v: ${FORMAT} (got "2024-2-29")`)],
  ['"2024-02-29T00:00:00Z"', error(`/v: ${FORMAT} (got "2024-02-29T00:00:00Z")`)],
  ['20240229', error(`/v: ${FORMAT} (got 20240229)`)],
];

describe('date field', () => {
  it.each(CASES)('%s', (json, expected) => {
    expect(decodeField({ kind: 'date' }, json)).toEqual(expected);
  });

  it('counts days like Date.UTC on every day from 1900 to 2100', () => {
    for (let t = Date.UTC(1900, 0, 1); t <= Date.UTC(2100, 11, 31); t += 86_400_000) {
      const d = new Date(t);
      expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(t / 86_400_000);
    }
  });
});
