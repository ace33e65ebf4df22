import { describe, expect, it } from 'vitest';
import { PATHS, decodeField, error, type Outcome } from './decode-helpers.js';

const CASES: [string, Outcome][] = [
  ['true', true],
  ['false', false],
  ['"true"', error('/v: must be true or false (got "true")')],
  ['1', error('/v: must be true or false (got 1)')],
  ['0', error('/v: must be true or false (got 0)')],
  ['null', error('/v: must not be null')],
];

describe.each(PATHS)('boolean field, %s path', (path) => {
  it.each(CASES)('%s', (json, expected) => {
    expect(decodeField({ kind: 'boolean' }, json, path)).toEqual(expected);
  });

  it('accepts null when nullable', () => {
    expect(decodeField({ kind: 'boolean' }, 'null', path, true)).toBeNull();
    expect(decodeField({ kind: 'boolean' }, '1', path, true)).toEqual(
      error('/v: must be true or false (got 1)'),
    );
  });
});
