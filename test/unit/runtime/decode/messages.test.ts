import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../../src/runtime/decode/decoder.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';
import { message } from './decode-helpers.js';

const spec = feedSpec({
  fields: [
    field('a', { kind: 'int' }),
    field('b', { kind: 'decimal', precision: 5, scale: 2 }),
    field('c', { kind: 'date' }),
    field('d', { kind: 'boolean' }),
    field('e', { kind: 'string', maxLength: 2 }),
  ],
  key: [],
  eventTimeField: null,
});
const decode = (json: string) => createDecoder(spec, 1).decode(message(json));

describe('schema violation messages', () => {
  it('lists every problem when there are at most three', () => {
    expect(decode('{"a":1,"b":"1.234","c":"2024-02-30","d":true,"e":"xyz"}')).toEqual({
      stage: 'schema',
      errorClass: 'SchemaViolation',
      message:
        '/b: must have at most 2 decimal places, feedctl does not round (got "1.234"); ' +
        '/c: must be a real calendar date (years 0001-9999) (got "2024-02-30"); ' +
        '/e: must be at most 2 characters (got 3)',
    });
  });

  it('lists three problems and counts the rest', () => {
    expect(decode('{"a":"x","b":"x","c":"x","d":"x","e":1}')).toMatchObject({
      message:
        '/a: must be an integer from -2147483648 to 2147483647 (got "x"); ' +
        '/b: must be a decimal number or numeric string (got "x"); ' +
        '/c: must be a date YYYY-MM-DD (got "x"); and 2 more',
    });
  });

  it('puts missing fields first', () => {
    expect(decode('{"a":"x"}')).toMatchObject({
      message: '/b: is required; /c: is required; /d: is required; and 2 more',
    });
  });
});
