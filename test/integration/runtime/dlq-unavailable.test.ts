import { describe, expect, it } from 'vitest';
import { createProducer, withAdmin } from '../../../src/clients/kafka.js';
import { FeedctlError } from '../../../src/errors.js';
import { DeadLetterWriter } from '../../../src/runtime/dlq/writer.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec } from '../../helpers/feed-spec.js';

const env = useTestEnv('dlq_unavailable');

describe('dead-letter topic that cannot be written', () => {
  it('rejects with a retriable error, counts nothing and does not create the topic', async () => {
    const source = env.topic('clicks');
    const dlq = env.topic('clicks-dlq-missing');
    const spec = feedSpec({ name: 'clicks', topic: source, deadLetterTopic: dlq });
    const producer = createProducer(env.config, { idempotent: true, retries: 1 });
    await producer.connect();
    const writer = new DeadLetterWriter(env.config, spec, 1, producer);
    const message = {
      partition: 0,
      offset: 0,
      timestampMs: 0,
      key: null,
      value: Buffer.from('x'),
      headers: {},
    };
    const failure = {
      stage: 'parse' as const,
      errorClass: 'InvalidJson',
      message: 'value is not valid JSON',
    };
    try {
      const err = await writer.send([{ message, topic: source, failure }]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FeedctlError);
      expect(err).toMatchObject({ code: 'KAFKA_REQUEST_FAILED', retriable: true, subsystem: 'runtime.dlq' });
      expect((err as Error).message).toMatch(
        new RegExp(`^runtime\\.dlq: write to dead-letter topic ${dlq}: `),
      );
      expect(writer.counters).toEqual({
        sent: 0,
        truncated: 0,
        skipped: 0,
        byStage: { parse: 0, schema: 0, snapshot: 0, write: 0 },
      });
    } finally {
      await producer.disconnect();
    }
    expect(await withAdmin(env.config, (a) => a.listTopics())).not.toContain(dlq);
  });
});
