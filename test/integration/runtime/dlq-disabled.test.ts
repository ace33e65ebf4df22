import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createProducer } from '../../../src/clients/kafka.js';
import { rootLogger, setRootLogger } from '../../../src/log.js';
import type { RawMessage } from '../../../src/runtime/decode/decoder.js';
import { DeadLetterWriter } from '../../../src/runtime/dlq/writer.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec } from '../../helpers/feed-spec.js';
import { readTopic } from '../../helpers/kcat.js';

const env = useTestEnv('dlq_disabled');
const SECRET_PAYLOAD = '{"card":"4111111111111111"';

describe('feed with the dead-letter topic disabled', () => {
  it('writes nothing, logs each failure without payload or message text, and counts it', async () => {
    const source = env.topic('payments');
    const dlq = env.topic('payments-dlq');
    await env.createTopic(dlq, 1);
    const spec = feedSpec({ name: 'payments', topic: source, deadLetterTopic: dlq });
    spec.deadLetter.enabled = false;
    const message: RawMessage = {
      partition: 1,
      offset: 99,
      timestampMs: 5,
      key: Buffer.from('k'),
      value: Buffer.from(SECRET_PAYLOAD),
      headers: {},
    };
    const failure = { stage: 'parse' as const, errorClass: 'InvalidJson', message: `bad: ${SECRET_PAYLOAD}` };

    const lines: string[] = [];
    const original = rootLogger();
    setRootLogger(pino(new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) })));
    const producer = createProducer(env.config);
    await producer.connect();
    try {
      const writer = new DeadLetterWriter(env.config, spec, 3, producer);
      expect(
        await writer.send([
          { message, topic: source, failure },
          { message, topic: source, failure },
        ]),
      ).toBe(0);
      expect(writer.counters).toEqual({
        sent: 0,
        truncated: 0,
        skipped: 2,
        byStage: { parse: 2, schema: 0, snapshot: 0, write: 0 },
      });
    } finally {
      setRootLogger(original);
      await producer.disconnect();
    }

    expect(readTopic(env.config, dlq)).toEqual([]);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({
      msg: 'message skipped: dead-letter topic disabled',
      feed: 'payments',
      generation: 3,
      topic: source,
      partition: 1,
      offset: 99,
      stage: 'parse',
      errorClass: 'InvalidJson',
    });
    expect(lines.join('')).not.toContain('4111');
  });
});
