import { describe, expect, it } from 'vitest';
import { PATHS, decodeField, error, type Outcome } from './decode-helpers.js';

const FORMAT = 'must be an RFC 3339 timestamp or integer epoch milliseconds';
const REAL = 'must be a real date and time';
const RANGE = 'must lie between years 0001 and 9999';
const T = Date.parse('2025-01-28T20:00:00Z');

const CASES: [string, Outcome][] = [
  ['"2025-01-28T20:00:00Z"', T],
  ['"2025-01-28t20:00:00z"', T],
  ['"2025-01-28T20:00:00+05:30"', Date.parse('2025-01-28T20:00:00+05:30')],
  ['"2025-01-28T20:00:00-08:00"', T + 8 * 3_600_000],
  ['"2025-01-28T20:00:00+0530"', T - 5.5 * 3_600_000],
  ['"2025-01-28T20:00:00+05"', T - 5 * 3_600_000],
  ['"2025-01-28T20:00:00.5Z"', T + 500],
  ['"2025-01-28T20:00:00.123Z"', T + 123],
  ['"2025-01-28T20:00:00.123999999Z"', T + 123],
  ['"2025-01-28T20:00Z"', T],
  // Naive (no zone): UTC.
  ['"2025-01-28T20:00:00"', T],
  ['"2025-01-28 20:00:00.250"', T + 250],
  ['"2024-02-29T23:59:59.999+00:00"', Date.parse('2024-02-29T23:59:59.999Z')],
  ['"1969-12-31T23:59:59.999Z"', -1],
  ['"0001-01-01T00:00:00Z"', Date.parse('0001-01-01T00:00:00Z')],
  ['"9999-12-31T23:59:59.999Z"', Date.parse('9999-12-31T23:59:59.999Z')],
  ['1738094400000', T],
  ['0', 0],
  ['-1', -1],
  ['1738094400000.5', error('/v: epoch milliseconds must be an integer (got 1738094400000.5)')],
  ['253402300800000', error(`/v: ${RANGE} (got 253402300800000)`)],
  ['"0001-01-01T00:00:00+01:00"', error(`/v: ${RANGE} (got "0001-01-01T00:00:00+01:00")`)],
  ['"2023-02-29T00:00:00Z"', error(`/v: ${REAL} (got "2023-02-29T00:00:00Z")`)],
  ['"2025-01-28T24:00:00Z"', error(`/v: ${REAL} (got "2025-01-28T24:00:00Z")`)],
  ['"2025-01-28T23:60:00Z"', error(`/v: ${REAL} (got "2025-01-28T23:60:00Z")`)],
  ['"2025-01-28T23:59:60Z"', error(`/v: ${REAL} (got "2025-01-28T23:59:60Z")`)],
  ['"2025-01-28T20:00:00+24:00"', error(`/v: ${REAL} (got "2025-01-28T20:00:00+24:00")`)],
  ['"2025-01-28"', error(`/v: ${FORMAT} (got "2025-01-28")`)],
  ['"1738094400000"', error(`/v: ${FORMAT} (got "1738094400000")`)],
  ['"28/01/2025 20:00"', error(`/v: ${FORMAT} (got "28/01/2025 20:00")`)],
  ['"2025-01-28T20:00:00 Z"', error(`/v: ${FORMAT} (got "2025-01-28T20:00:00 Z")`)],
  ['true', error(`/v: ${FORMAT} (got true)`)],
  ...[
    '2025-01-28T20:00:00.Z',
    '2025-01-28T20:00:',
    '2025-01-28T20:00:0Z',
    '2025-01-28T2:00:00Z',
    '2025-01-28T20:00:00+5:30',
    '2025-01-28T20:00:00+05:3',
    '2025-01-28T20:00:00+05:300',
    '2025-01-28T20:00:00Zjunk',
    '2025-01-28T20:00:00+05:30x',
    '2025-01-28X20:00:00Z',
    '2025/01/28T20:00:00Z',
    '+2025-01-28T20:00:00Z',
  ].map((t): [string, Outcome] => [JSON.stringify(t), error(`/v: ${FORMAT} (got ${JSON.stringify(t)})`)]),
];

describe.each(PATHS)('timestamp field, %s path', (path) => {
  it.each(CASES)('%s', (json, expected) => {
    expect(decodeField({ kind: 'timestamp' }, json, path)).toEqual(expected);
  });
});
