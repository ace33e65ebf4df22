import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../../src/runtime/decode/decoder.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';
import { message } from './decode-helpers.js';

const spec = feedSpec({
  fields: [
    field('id', { kind: 'string', maxLength: 10 }),
    field('amount', { kind: 'decimal', precision: 10, scale: 2 }, true),
    field('note', { kind: 'string', maxLength: null }, true),
    field('at', { kind: 'timestamp' }),
  ],
  key: ['id'],
  eventTimeField: null,
});
const decode = (json: string) => createDecoder(spec, 1).decode(message(json));

describe('nullable and required fields', () => {
  it('gives null for a nullable field that is null or absent', () => {
    expect(decode('{"id":"a","amount":null,"note":null,"at":0}')).toMatchObject({
      values: ['a', null, null, 0],
    });
    expect(decode('{"id":"a","at":0}')).toMatchObject({ values: ['a', null, null, 0] });
  });

  it('refuses a non-nullable field that is absent or null', () => {
    expect(decode('{"amount":"1.00"}')).toEqual({
      stage: 'schema',
      errorClass: 'SchemaViolation',
      message: '/id: is required; /at: is required',
    });
    expect(decode('{"id":null,"at":null}')).toMatchObject({
      message: '/id: must not be null; /at: must not be null',
    });
  });

  it('ignores unknown extra properties', () => {
    const out = decode('{"id":"a","at":0,"added_later":{"x":[1,2]},"amount":"2.5","zzz":null}');
    expect(out).toMatchObject({ values: ['a', '2.50', null, 0] });
  });

  it('does not take a field named like an Object.prototype member from the prototype', () => {
    const s = feedSpec({
      fields: [field('constructor', { kind: 'string', maxLength: 10 }, true), field('id', { kind: 'int' })],
      key: ['id'],
      eventTimeField: null,
    });
    const d = createDecoder(s, 1);
    expect(d.decode(message('{"id":1}'))).toMatchObject({ values: [null, 1] });
    expect(d.decode(message('{"id":1,"constructor":"c"}'))).toMatchObject({ values: ['c', 1] });
    const required = feedSpec({
      fields: [field('toString', { kind: 'int' })],
      key: [],
      eventTimeField: null,
    });
    expect(createDecoder(required, 1).decode(message('{}'))).toMatchObject({
      message: '/toString: is required',
    });
  });
});
