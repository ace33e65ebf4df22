import { describe, expect, it } from 'vitest';
import { createDecoder, isFailure } from '../../../../src/runtime/decode/decoder.js';
import { CUSTOMER_EVENT_FIELDS, feedSpec, field } from '../../../helpers/feed-spec.js';
import { PATHS, decodeField, message } from './decode-helpers.js';

const DEEP = '['.repeat(200_000) + ']'.repeat(200_000);

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('bad data never throws', () => {
  // Both paths parse natively first; the lossless parser only reads again what a float could not hold exactly.
  it.each(PATHS)('a value nested 200,000 deep, %s path', (path) => {
    const out = decodeField({ kind: 'int' }, DEEP, path);
    expect(out).toEqual({ error: '/v: must be an integer from -2147483648 to 2147483647 (got an array)' });
  });

  it('mutated messages: every byte flip, cut and splice gives a record or a failure', () => {
    const fields = [
      ...CUSTOMER_EVENT_FIELDS,
      field('doc', { kind: 'json' }, true),
      field('n', { kind: 'bigint' }, true),
    ];
    const decoder = createDecoder(feedSpec({ fields }), 1);
    const valid = Buffer.from(
      '{"event_id":"e1","customer_id":"C1","event":"login","amount":"12.50","quantity":3,' +
        '"occurred_at":"2025-01-28T20:00:00Z","doc":{"a":[1,2.5]},"n":"42"}',
    );
    expect(isFailure(decoder.decode(message(valid)))).toBe(false);
    const rnd = random(42);
    const at = () => Math.floor(rnd() * valid.length);
    let failures = 0;
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(valid);
      const kind = i % 3;
      if (kind === 0) b[at()] = Math.floor(rnd() * 256);
      const mutated =
        kind === 1
          ? b.subarray(0, at())
          : kind === 2
            ? Buffer.concat([b.subarray(0, at()), b.subarray(at())])
            : b;
      const out = decoder.decode(message(mutated));
      if (isFailure(out)) failures++;
    }
    expect(failures).toBeGreaterThan(1000);
    expect(decoder.counters.decoded + decoder.counters.failed.parse + decoder.counters.failed.schema).toBe(
      3001,
    );
  });
});
