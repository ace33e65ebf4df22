import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducer, type Producer } from '../../../src/clients/kafka.js';
import { deadLetterMessage, type DeadLetter } from '../../../src/runtime/dlq/headers.js';
import { DeadLetterWriter } from '../../../src/runtime/dlq/writer.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec } from '../../helpers/feed-spec.js';
import { readTopic } from '../../helpers/kcat.js';

const env = useTestEnv('dlq_batching');
let producer: Producer;

beforeAll(async () => {
  producer = createProducer(env.config, { idempotent: true });
  await producer.connect();
});
afterAll(() => producer.disconnect());

/** 1,500 failures of ~1 KiB: together larger than the broker's default max.message.bytes (1 MiB). */
function failures(source: string): DeadLetter[] {
  return Array.from({ length: 1500 }, (_, i) => ({
    message: {
      partition: 0,
      offset: i,
      timestampMs: 0,
      key: Buffer.from(`k${i}`),
      value: Buffer.from(`${i}:`.padEnd(1024, 'x')),
      headers: {},
    },
    topic: source,
    failure: { stage: 'parse' as const, errorClass: 'InvalidJson', message: 'value is not valid JSON' },
  }));
}

describe('a large batch of dead letters', () => {
  it('is refused by the broker as one request, so the writer splits it, keeping order', async () => {
    const source = env.topic('views');
    const dlq = env.topic('views-dlq');
    await env.createTopic(dlq, 1);
    const batch = failures(source);
    const ctx = { feed: 'views', generation: 1, failedAt: new Date() };
    await expect(
      producer.send({ topic: dlq, acks: -1, messages: batch.map((d) => deadLetterMessage(d, ctx)) }),
    ).rejects.toThrow(/too large|larger than/i);

    const writer = new DeadLetterWriter(
      env.config,
      feedSpec({ name: 'views', deadLetterTopic: dlq }),
      1,
      producer,
    );
    expect(await writer.send(batch)).toBe(1500);
    const got = readTopic(env.config, dlq);
    expect(got.map((m) => m.key)).toEqual(batch.map((d) => d.message.key?.toString()));
  });
});
