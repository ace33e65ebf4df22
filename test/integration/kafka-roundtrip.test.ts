import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../helpers/env.js';
import { pingKafka } from '../../src/clients/kafka.js';

const env = useTestEnv('kafka_roundtrip');

describe('local Kafka broker', () => {
  it('answers a metadata request', async () => {
    expect(await pingKafka(env.config)).toBe(1);
  });

  it('round-trips a message with key and headers through a new topic', async () => {
    const topic = env.topic('roundtrip');
    await env.createTopic(topic, 3);
    const kafka = env.kafka();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [{ key: 'k1', value: '{"hello":"world"}', headers: { source: 'test' } }],
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `${topic}.g` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got = await new Promise<{ key: string; value: string; header: string }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) =>
          resolve({
            key: String(message.key),
            value: String(message.value),
            header: String(message.headers?.source),
          }),
      });
    });
    await consumer.disconnect();
    expect(got).toEqual({ key: 'k1', value: '{"hello":"world"}', header: 'test' });
  });
});
