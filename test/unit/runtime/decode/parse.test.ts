import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../../src/runtime/decode/decoder.js';
import type { DecodeFailure } from '../../../../src/runtime/record.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';
import { PATHS, message } from './decode-helpers.js';

function decoder(path: string) {
  const fields = [field('id', { kind: 'string', maxLength: 10 })];
  if (path === 'lossless') fields.push(field('amount', { kind: 'decimal', precision: 10, scale: 2 }, true));
  return createDecoder(feedSpec({ fields, key: ['id'], eventTimeField: null }), 1);
}

const failure = (errorClass: string, text: RegExp | string) => ({
  stage: 'parse',
  errorClass,
  message: typeof text === 'string' ? text : expect.stringMatching(text),
});

describe.each(PATHS)('parse stage, %s path', (path) => {
  const d = decoder(path);
  const cases: [string, string | Buffer | null, DecodeFailure | ReturnType<typeof failure>][] = [
    ['a tombstone', null, failure('EmptyValue', 'value is null (a tombstone), expected a JSON object')],
    ['an empty value', '', failure('EmptyValue', 'value is empty, expected a JSON object')],
    ['plain text', 'hello', failure('InvalidJson', /^value is not valid JSON: /)],
    ['truncated JSON', '{"id":"a"', failure('InvalidJson', /^value is not valid JSON: /)],
    ['two values', '{"id":"a"} {"id":"b"}', failure('InvalidJson', /^value is not valid JSON: /)],
    [
      'Latin-1 bytes',
      Buffer.from('{"id":"caf\xe9"}', 'latin1'),
      failure('InvalidJson', 'value is not valid UTF-8'),
    ],
    ['a JSON array', '[{"id":"a"}]', failure('NotAnObject', 'value must be a JSON object, got an array')],
    ['a JSON string', '"id"', failure('NotAnObject', 'value must be a JSON object, got a string')],
    ['a JSON number', '42', failure('NotAnObject', 'value must be a JSON object, got a number')],
    ['JSON null', 'null', failure('NotAnObject', 'value must be a JSON object, got null')],
  ];

  it.each(cases)('refuses %s', (_name, value, expected) => {
    expect(d.decode(message(value))).toEqual(expected);
  });

  it('keeps an invalid-JSON message on one line', () => {
    const out = d.decode(message('{\n"id":\n}'));
    expect(out).toMatchObject({ errorClass: 'InvalidJson' });
    expect((out as DecodeFailure).message).not.toMatch(/\n/);
  });

  it('accepts a UTF-8 byte order mark', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"a"}')]);
    expect(d.decode(message(bom))).toMatchObject({ values: expect.arrayContaining(['a']) });
  });

  it('lets the last of duplicate keys win', () => {
    const out = d.decode(message('{"id":"first","id":"last"}'));
    expect(out).toMatchObject({ values: expect.arrayContaining(['last']) });
  });
});
