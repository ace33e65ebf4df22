import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../../src/runtime/decode/decoder.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';
import { message } from './decode-helpers.js';

const fields = [
  field('id', { kind: 'int' }),
  field('at', { kind: 'timestamp' }),
  field('day', { kind: 'date' }),
  field('maybe_at', { kind: 'timestamp' }, true),
];
const decode = (eventTimeField: string | null, json: string) =>
  createDecoder(feedSpec({ fields, key: ['id'], eventTimeField }), 1).decode(
    message(json, { partition: 2, offset: 41, timestampMs: 1_700_000_000_000 }),
  );
const BODY = '{"id":1,"at":"2025-01-28T20:00:00.123+01:00","day":"2024-02-29","maybe_at":null}';

describe('event time', () => {
  it('comes from a timestamp field', () => {
    expect(decode('at', BODY)).toEqual({
      partition: 2,
      offset: 41,
      timestampMs: 1_700_000_000_000,
      eventTimeMs: Date.parse('2025-01-28T19:00:00.123Z'),
      values: [1, Date.parse('2025-01-28T19:00:00.123Z'), 19_782, null],
    });
  });

  it('comes from a date field at 00:00 UTC', () => {
    expect(decode('day', BODY)).toMatchObject({ eventTimeMs: Date.parse('2024-02-29T00:00:00Z') });
  });

  it('comes from the Kafka record timestamp when the feed says so', () => {
    expect(decode(null, BODY)).toMatchObject({ eventTimeMs: 1_700_000_000_000 });
  });

  it('falls back to the record timestamp when a nullable event-time field is null or absent', () => {
    expect(decode('maybe_at', BODY)).toMatchObject({ eventTimeMs: 1_700_000_000_000 });
    expect(decode('maybe_at', '{"id":1,"at":0,"day":"1970-01-01"}')).toMatchObject({
      eventTimeMs: 1_700_000_000_000,
    });
    expect(decode('maybe_at', '{"id":1,"at":0,"day":"1970-01-01","maybe_at":5}')).toMatchObject({
      eventTimeMs: 5,
    });
  });
});
