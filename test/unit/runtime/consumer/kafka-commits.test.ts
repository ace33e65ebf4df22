import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Consumer } from '../../../../src/clients/kafka.js';
import { createLogger } from '../../../../src/log.js';
import { KafkaCommits } from '../../../../src/runtime/consumer/kafka-commits.js';

/** A consumer whose commits fail while `down` is set; it records what Kafka accepted. */
function fakeConsumer() {
  const state = { down: true, accepted: [] as Array<{ partition: number; offset: string }> };
  const consumer = {
    commitOffsets: async (offsets: Array<{ topic: string; partition: number; offset: string }>) => {
      if (state.down) throw new Error('The group coordinator is not available');
      state.accepted.push(...offsets.map(({ partition, offset }) => ({ partition, offset })));
    },
  } as unknown as Consumer;
  return { consumer, state };
}

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const root = createLogger(stream);
  root.level = 'warn';
  return { log: root.child({ subsystem: 'test' }), lines };
}

describe('Kafka offset commits', () => {
  it('a failed commit is logged at warn with partition and offset, and retried until Kafka takes it', async () => {
    const { consumer, state } = fakeConsumer();
    const { log, lines } = capture();
    const commits = new KafkaCommits('orders', log);
    await commits.commit(consumer, 2, 500);
    await commits.commit(consumer, 2, 700); // the latest offset of a partition wins
    expect(lines.filter((l) => l.msg === 'kafka offset commit failed; retrying')).toMatchObject([
      { level: 40, partition: 2, offset: 500 },
      { level: 40, partition: 2, offset: 700 },
    ]);
    await commits.retry(consumer);
    expect(state.accepted).toEqual([]);
    state.down = false;
    await commits.retry(consumer);
    expect(state.accepted).toEqual([{ partition: 2, offset: '700' }]);
    await commits.retry(consumer); // nothing pending any more
    expect(state.accepted).toHaveLength(1);
  });

  it('forgets a revoked partition', async () => {
    const { consumer, state } = fakeConsumer();
    const commits = new KafkaCommits('orders', capture().log);
    await commits.commit(consumer, 1, 10);
    commits.forget(1);
    state.down = false;
    await commits.retry(consumer);
    expect(state.accepted).toEqual([]);
  });
});
