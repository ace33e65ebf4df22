import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducer, type Producer } from '../../../src/clients/kafka.js';
import { FeedctlError } from '../../../src/errors.js';
import { DLQ_HEADERS, type DeadLetter } from '../../../src/runtime/dlq/headers.js';
import { MAX_LETTER_BYTES, DeadLetterWriter } from '../../../src/runtime/dlq/writer.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec } from '../../helpers/feed-spec.js';
import { headerPairs, readBytes, readTopic, type KcatMessage } from '../../helpers/kcat.js';

const env = useTestEnv('dlq_poison');
let producer: Producer;

beforeAll(async () => {
  producer = createProducer(env.config, { idempotent: true });
  await producer.connect();
});
afterAll(() => producer.disconnect());

function failure(
  source: string,
  offset: number,
  value: Buffer,
  key: Buffer | null = Buffer.from(`k${offset}`),
) {
  const letter: DeadLetter = {
    message: { partition: 0, offset, timestampMs: 0, key, value, headers: { trace: `t${offset}` } },
    topic: source,
    failure: { stage: 'parse', errorClass: 'InvalidJson', message: 'value is not valid JSON' },
  };
  return letter;
}

/** A writer for a new dead-letter topic created with `configs`. */
async function writerFor(name: string, configs: Record<string, string> = {}, p = producer) {
  const source = env.topic(name);
  const dlq = env.topic(`${name}-dlq`);
  await env.createTopic(dlq, 1, configs);
  const writer = new DeadLetterWriter(
    env.config,
    feedSpec({ name, topic: source, deadLetterTopic: dlq }),
    1,
    p,
  );
  return { source, dlq, writer };
}

async function rejection(p: Promise<unknown>): Promise<FeedctlError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedctlError);
  return err as FeedctlError;
}

const header = (m: KcatMessage | undefined, name: string) =>
  m ? headerPairs(m).find(([k]) => k === name)?.[1] : undefined;

describe('a dead letter larger than the dead-letter topic accepts', () => {
  it('is written cut to fit, saying so, while the letters around it go through unchanged', async () => {
    const { source, dlq, writer } = await writerFor('poison', { 'max.message.bytes': '4096' });
    const poison = Buffer.from('é'.repeat(51_200)); // 100 KiB of two-byte characters
    const letters = [
      failure(source, 1, Buffer.from('not json 1')),
      failure(source, 2, poison),
      failure(source, 3, Buffer.from('not json 3')),
    ];
    expect(await writer.send(letters)).toBe(3);
    expect(writer.counters).toMatchObject({ sent: 3, truncated: 1 });

    const got = readTopic(env.config, dlq);
    expect(got.map((m) => header(m, DLQ_HEADERS.offset))).toEqual(['1', '2', '3']);
    for (const i of [0, 2]) {
      expect(got[i]?.payload).toBe(`not json ${i + 1}`);
      expect(header(got[i], DLQ_HEADERS.truncated)).toBeUndefined();
    }
    const cut = got[1];
    expect(header(cut, DLQ_HEADERS.truncated)).toBe('value');
    expect(header(cut, DLQ_HEADERS.originalValueBytes)).toBe('102400');
    expect(header(cut, 'trace')).toBe('t2');
    expect(cut?.key).toBe('k2');
    const value = readBytes(env.config, dlq, 1, 'value');
    expect(value.length).toBeGreaterThan(0);
    expect(value.length).toBeLessThan(4096);
    expect(poison.subarray(0, value.length)).toEqual(value);
    expect(value.toString('utf8')).toMatch(/^é+$/);
  });

  it(`is cut before its first send when above ${MAX_LETTER_BYTES} bytes`, async () => {
    const { source, dlq, writer } = await writerFor('huge');
    expect(await writer.send([failure(source, 7, Buffer.alloc(1_500_000, 'x'))])).toBe(1);
    expect(writer.counters).toMatchObject({ sent: 1, truncated: 1 });
    const [m] = readTopic(env.config, dlq);
    expect(header(m, DLQ_HEADERS.originalValueBytes)).toBe('1500000');
    // Cut to the limit at once, not halved after a refusal (which would leave about 750,000 bytes).
    const value = readBytes(env.config, dlq, 0, 'value');
    expect(value.length).toBeGreaterThan(MAX_LETTER_BYTES - 5000);
    expect(value.length).toBeLessThanOrEqual(MAX_LETTER_BYTES);
  });

  it('that does not fit even as feedctl headers alone is a terminal error naming the message', async () => {
    const { source, dlq, writer } = await writerFor('tiny', { 'max.message.bytes': '100' });
    const err = await rejection(writer.send([failure(source, 42, Buffer.alloc(100 * 1024, 'x'))]));
    expect(err).toMatchObject({ code: 'DEAD_LETTER_REFUSED', retriable: false, subsystem: 'runtime.dlq' });
    expect(err.message).toContain(
      `dead-letter topic ${dlq}: the dead letter of ${source} partition 0 offset 42`,
    );
    expect(err.context).toMatchObject({ topic: source, partition: 0, offset: 42 });
    expect(writer.counters).toMatchObject({ sent: 0, truncated: 0 });
    expect(readTopic(env.config, dlq)).toEqual([]);
  });
});

describe('other refusals', () => {
  it('a letter the topic refuses as invalid (no key on a compacted topic) is terminal', async () => {
    const { source, writer } = await writerFor('compacted', { 'cleanup.policy': 'compact' });
    const err = await rejection(writer.send([failure(source, 5, Buffer.from('x'), null)]));
    expect(err).toMatchObject({ code: 'DEAD_LETTER_REFUSED', retriable: false });
    expect(err.context).toMatchObject({ first: { topic: source, partition: 0, offset: 5 } });
  });

  it('a producer that lost its connection is a retriable failure', async () => {
    const gone = createProducer(env.config, { idempotent: true });
    await gone.connect();
    await gone.disconnect();
    const { source, writer } = await writerFor('gone', {}, gone);
    const err = await rejection(writer.send([failure(source, 1, Buffer.from('x'))]));
    expect(err).toMatchObject({ code: 'KAFKA_REQUEST_FAILED', retriable: true });
    expect(writer.counters).toMatchObject({ sent: 0 });
  });
});
