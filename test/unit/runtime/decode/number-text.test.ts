import { describe, expect, it } from 'vitest';
import { createDecoder, isFailure } from '../../../../src/runtime/decode/decoder.js';
import { numberTexts } from '../../../../src/runtime/decode/number-text.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';
import { message } from './decode-helpers.js';

const texts = (json: string, ...keys: string[]) => {
  const m = numberTexts(json, new Set(keys));
  return m === null ? null : Object.fromEntries(m);
};

describe('numberTexts: the exact text of top-level numbers', () => {
  it('finds the wanted keys only, as written', () => {
    expect(texts('{"a":1.10,"b":2,"c":"x"}', 'a', 'c')).toEqual({ a: '1.10' });
    expect(texts('{ "a" :\n -12345678901234567890 , "b":[1,{"a":3}] }', 'a')).toEqual({
      a: '-12345678901234567890',
    });
    expect(texts('{"a":1e400}', 'a')).toEqual({ a: '1e400' });
  });

  it('never takes a key inside a string, a nested object or an array', () => {
    const json = '{"s":"\\"a\\":5, \\\\","n":{"a":6,"t":"}"},"l":[{"a":7}],"a":8}';
    expect(JSON.parse(json).a).toBe(8);
    expect(texts(json, 'a')).toEqual({ a: '8' });
  });

  it('keeps the last of duplicate keys, as JSON.parse does', () => {
    expect(texts('{"a":1,"a":2}', 'a')).toEqual({ a: '2' });
    expect(texts('{"a":1,"a":"x"}', 'a')).toEqual({});
  });

  it('reads escaped keys as JSON does', () => {
    expect(texts('{"\\u0061":3.50}', 'a')).toEqual({ a: '3.50' });
  });

  it('handles an empty object, a BOM, and gives up on what is not an object', () => {
    expect(texts('{}', 'a')).toEqual({});
    expect(texts('\ufeff{"a":1}', 'a')).toEqual({ a: '1' });
    expect(texts('[1]', 'a')).toBeNull();
  });
});

describe('decoder: exact numbers without a second parse give what the lossless parser gives', () => {
  const spec = feedSpec({
    fields: [
      field('id', { kind: 'string', maxLength: 20 }),
      field('amount', { kind: 'decimal', precision: 30, scale: 2 }),
      field('big', { kind: 'bigint' }),
      field('n', { kind: 'int' }, true),
    ],
    key: [],
    eventTimeField: null,
  });
  const decoder = createDecoder(spec, 1);
  const values = (json: string) => {
    const out = decoder.decode(message(json));
    return isFailure(out) ? out.message : out.values;
  };

  it.each([
    ['{"id":"x","amount":12.1,"big":9007199254740993}', ['x', '12.10', 9007199254740993n, null]],
    ['{"id":"x","amount":"12.1","big":"9007199254740993","n":5}', ['x', '12.10', 9007199254740993n, 5]],
    [
      '{"big":1,"id":"\\"amount\\":1","amount":123456789012345678901234567.89}',
      ['"amount":1', '123456789012345678901234567.89', 1n, null],
    ],
    ['{"id":"x","amount":1,"amount":2.5,"big":0,"x":{"big":7}}', ['x', '2.50', 0n, null]],
  ])('%s', (json, expected) => {
    expect(values(json)).toEqual(expected);
  });

  it('refuses what the lossless parser refuses, with its diagnostic', () => {
    expect(values('{"id":"x","amount":1.234,"big":1}')).toMatch(/^\/amount: /);
    expect(values('{"id":"x","amount":1,"big":9223372036854775808}')).toMatch(/^\/big: /);
    expect(values('{"id":"x","amount":1,"big":1,"n":1e400}')).toMatch(/^\/n: /);
  });
});
