import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducer, type Producer } from '../../../src/clients/kafka.js';
import { createDecoder, isFailure, type RawMessage } from '../../../src/runtime/decode/decoder.js';
import { DLQ_HEADERS, type DeadLetter } from '../../../src/runtime/dlq/headers.js';
import { DeadLetterWriter } from '../../../src/runtime/dlq/writer.js';
import type { DecodeFailure } from '../../../src/runtime/record.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec } from '../../helpers/feed-spec.js';
import { headerPairs, readBytes, readTopic } from '../../helpers/kcat.js';

const env = useTestEnv('dlq_roundtrip');
let producer: Producer;

beforeAll(async () => {
  producer = createProducer(env.config, { idempotent: true });
  await producer.connect();
});
afterAll(() => producer.disconnect());

const raw = (offset: number, value: Buffer | null, over: Partial<RawMessage> = {}): RawMessage => ({
  partition: 2,
  offset,
  timestampMs: 1_738_094_400_000 + offset,
  key: Buffer.from(`key-${offset}`),
  value,
  headers: {},
  ...over,
});

describe('dead-letter topic, read back with kcat', () => {
  it('holds the original key, value and headers unchanged plus every feedctl header', async () => {
    const source = env.topic('orders');
    const dlq = env.topic('orders-dlq');
    await env.createTopic(dlq, 1);
    const spec = feedSpec({ name: 'orders_dlq', topic: source, deadLetterTopic: dlq });
    const decoder = createDecoder(spec, 7);
    const originals = [
      raw(10, Buffer.from('not json'), {
        headers: { trace: 'abc', 'content-type': Buffer.from('text/plain') },
      }),
      raw(11, Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]), { key: Buffer.from([0x00, 0x01, 0xfe]) }),
      raw(12, Buffer.from('{"event_id":"e1","amount":"12.345"}'), { headers: { dup: ['one', 'two'] } }),
      raw(13, null, { key: Buffer.from('deleted') }),
    ];
    const failures: DeadLetter[] = originals.map((message) => {
      const out = decoder.decode(message);
      if (!isFailure(out)) throw new Error(`offset ${message.offset} decoded`);
      return { message, topic: source, failure: out };
    });
    const writeFailure: DecodeFailure = {
      stage: 'write',
      errorClass: 'DataTooLong',
      message: 'é'.repeat(2000),
    };
    failures.push({
      message: raw(14, Buffer.from('{"event_id":"e2"}')),
      topic: source,
      failure: writeFailure,
    });

    const before = Date.now();
    const writer = new DeadLetterWriter(env.config, spec, 7, producer);
    expect(await writer.send(failures)).toBe(5);
    const after = Date.now();
    expect(writer.counters).toEqual({
      sent: 5,
      truncated: 0,
      skipped: 0,
      byStage: { parse: 3, schema: 1, snapshot: 0, write: 1 },
    });

    const got = readTopic(env.config, dlq);
    expect(got.map((m) => m.key)).toEqual(['key-10', expect.any(String), 'key-12', 'deleted', 'key-14']);
    expect(got[0]?.payload).toBe('not json');
    expect(got[3]?.payload).toBeNull();
    expect(readBytes(env.config, dlq, 1, 'value')).toEqual(originals[1]?.value);
    expect(readBytes(env.config, dlq, 1, 'key')).toEqual(originals[1]?.key);

    got.forEach((m, i) => {
      const pairs = headerPairs(m);
      const original = originals[i] ?? raw(14, null);
      const failure = failures[i]?.failure as DecodeFailure;
      const mine = Object.fromEntries(pairs.filter(([k]) => k.startsWith('feedctl.')));
      expect(mine).toEqual({
        [DLQ_HEADERS.feed]: 'orders_dlq',
        [DLQ_HEADERS.generation]: '7',
        [DLQ_HEADERS.stage]: failure.stage,
        [DLQ_HEADERS.errorClass]: failure.errorClass,
        [DLQ_HEADERS.errorMessage]: i === 4 ? `${'é'.repeat(510)}…` : failure.message,
        [DLQ_HEADERS.topic]: source,
        [DLQ_HEADERS.partition]: '2',
        [DLQ_HEADERS.offset]: String(original.offset),
        [DLQ_HEADERS.timestamp]: String(original.timestampMs),
        [DLQ_HEADERS.failedAt]: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      const failedAt = Date.parse(String(mine[DLQ_HEADERS.failedAt]));
      expect(failedAt).toBeGreaterThanOrEqual(before);
      expect(failedAt).toBeLessThanOrEqual(after);
      expect(pairs.filter(([k]) => !k.startsWith('feedctl.'))).toEqual(
        Object.entries(original.headers).flatMap(([k, v]) =>
          (Array.isArray(v) ? v : [v]).map((one) => [k, String(one)]),
        ),
      );
    });
    // 510 two-byte characters and the three-byte ellipsis: the longest cut within 1 KiB.
    const cut = headerPairs(got[4]!).find(([k]) => k === DLQ_HEADERS.errorMessage)?.[1];
    expect(Buffer.byteLength(String(cut))).toBe(1023);
    expect(got.map((m) => headerPairs(m).find(([k]) => k === DLQ_HEADERS.errorClass)?.[1])).toEqual([
      'InvalidJson',
      'InvalidJson',
      'SchemaViolation',
      'EmptyValue',
      'DataTooLong',
    ]);
  });
});
