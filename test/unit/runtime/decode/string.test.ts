import { describe, expect, it } from 'vitest';
import type { FieldType } from '../../../../src/feeds/types.js';
import { decodeField, error, type Outcome } from './decode-helpers.js';

const S3: FieldType = { kind: 'string', maxLength: 3 };

// maxLength counts code points, as MySQL VARCHAR(n) counts utf8mb4 characters (checked against the server in
// test/integration/runtime/dlq-varchar-length.test.ts).
const CASES: [string, Outcome][] = [
  ['"abc"', 'abc'],
  ['""', ''],
  ['"😀😀😀"', '😀😀😀'],
  ['"\\ud83d\\ude00"', '😀'],
  ['"e\\u0301"', 'e\u0301'],
  ['"a\\u0000b"', 'a\u0000b'],
  ['"abcd"', error('/v: must be at most 3 characters (got 4)')],
  ['"😀😀😀😀"', error('/v: must be at most 3 characters (got 4)')],
  ['"e\\u0301e\\u0301"', error('/v: must be at most 3 characters (got 4)')],
  ['"a\\ud800"', error('/v: must not contain a lone UTF-16 surrogate (got "a\\ud800")')],
  ['"\\udc00"', error('/v: must not contain a lone UTF-16 surrogate (got "\\udc00")')],
  ['12', error('/v: must be a string (got 12)')],
  ['{"a":1}', error('/v: must be a string (got {"a":1})')],
  ['null', error('/v: must not be null')],
];

describe('string field with maxLength 3', () => {
  it.each(CASES)('%s', (json, expected) => {
    expect(decodeField(S3, json)).toEqual(expected);
  });

  it('has no limit without maxLength', () => {
    const long = 'x'.repeat(100_000);
    expect(decodeField({ kind: 'string', maxLength: null }, JSON.stringify(long))).toBe(long);
  });

  it('quotes at most 40 characters of an offending value, counting code points', () => {
    expect(decodeField({ kind: 'int' }, JSON.stringify('😀'.repeat(39)))).toEqual(
      error(`/v: must be an integer from -2147483648 to 2147483647 (got "${'😀'.repeat(38)}…)`),
    );
    expect(decodeField({ kind: 'int' }, JSON.stringify('😀'.repeat(38)))).toEqual(
      error(`/v: must be an integer from -2147483648 to 2147483647 (got "${'😀'.repeat(38)}")`),
    );

    const out = decodeField(S3, JSON.stringify({ k: 'y'.repeat(100) }));
    expect(out).toEqual(error(`/v: must be a string (got {"k":"${'y'.repeat(33)}…)`));
  });
});
