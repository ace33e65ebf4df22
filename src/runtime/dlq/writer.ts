/**
 * Writes the messages a feed could not decode or store to its dead-letter topic (headers: headers.ts).
 *
 * Contract with the caller (the feed's consumer):
 * - `send()` resolves only once the broker acknowledged every message (acks -1); the caller commits the offsets of
 *   the failed messages only after that;
 * - a rejection is an infrastructure failure (broker down, topic missing): a retriable FeedctlError. The caller
 *   retries with backoff and does not commit. A retried `send()` may write some dead letters twice; the
 *   `feedctl.original.*` headers identify duplicates;
 * - with `deadLetter.enabled: false` nothing is written: each failure is logged (coordinates and error class, no
 *   payload and no message text, which may quote the payload) and counted, and the caller skips the message.
 *
 * The producer is the caller's, connected, preferably from `createProducer(config, { idempotent: true })`.
 */
import type { Config } from '../../config/config.js';
import type { Producer } from '../../clients/kafka.js';
import { FeedctlError, causeText } from '../../errors.js';
import type { FeedSpec } from '../../feeds/types.js';
import { logger } from '../../log.js';
import type { DecodeFailure } from '../record.js';
import { deadLetterMessage, messageBytes, type DeadLetter, type DeadLetterMessage } from './headers.js';

/**
 * Most bytes per produce request. kafkajs does not split a send: each partition's messages travel as one record
 * batch, which the broker refuses beyond `max.message.bytes` (1 MiB by default).
 */
export const MAX_SEND_BYTES = 512 * 1024;

/** Plain counters the caller reads. Invariant: only ever increase; a failure is counted once it is handled. */
export interface DeadLetterCounters {
  /** Messages acknowledged by the dead-letter topic. */
  sent: number;
  /** Messages skipped because the feed's dead-letter topic is disabled. */
  skipped: number;
  /** Handled failures (sent or skipped) by stage. */
  byStage: Record<DecodeFailure['stage'], number>;
}

/** Consecutive groups of messages of at most `maxBytes` each (a larger message travels alone). */
export function chunkBySize(messages: DeadLetterMessage[], maxBytes: number): DeadLetterMessage[][] {
  const chunks: DeadLetterMessage[][] = [];
  let current: DeadLetterMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = messageBytes(m);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The dead-letter writer of one feed generation. */
export class DeadLetterWriter {
  readonly counters: DeadLetterCounters = { sent: 0, skipped: 0, byStage: { parse: 0, schema: 0, write: 0 } };
  private readonly log = logger('runtime.dlq');

  constructor(
    private readonly config: Config,
    private readonly spec: FeedSpec,
    private readonly generation: number,
    private readonly producer: Producer,
  ) {}

  /**
   * Writes `failures` (typically those of one Kafka batch) in as few produce requests as the size limit allows.
   * Resolves with the number of messages written: `failures.length`, or 0 when the dead-letter topic is disabled.
   */
  async send(failures: DeadLetter[]): Promise<number> {
    if (failures.length === 0) return 0;
    if (!this.spec.deadLetter.enabled) {
      this.skip(failures);
      return 0;
    }
    const ctx = { feed: this.spec.name, generation: this.generation, failedAt: new Date() };
    const messages = failures.map((d) => deadLetterMessage(d, ctx));
    const topic = this.spec.deadLetter.topic;
    for (const chunk of chunkBySize(messages, MAX_SEND_BYTES)) {
      try {
        await this.producer.send({ topic, acks: -1, messages: chunk });
      } catch (err) {
        throw this.sendFailed(err, failures.length);
      }
    }
    this.count(failures, 'sent');
    this.log.warn(
      { feed: this.spec.name, deadLetterTopic: topic, count: failures.length },
      'dead letters written',
    );
    return failures.length;
  }

  private skip(failures: DeadLetter[]): void {
    for (const { message: m, topic, failure } of failures) {
      const { stage, errorClass } = failure;
      const where = { topic, partition: m.partition, offset: m.offset };
      this.log.warn(
        { feed: this.spec.name, generation: this.generation, ...where, stage, errorClass },
        'message skipped: dead-letter topic disabled',
      );
    }
    this.count(failures, 'skipped');
  }

  private count(failures: DeadLetter[], outcome: 'sent' | 'skipped'): void {
    this.counters[outcome] += failures.length;
    for (const f of failures) this.counters.byStage[f.failure.stage]++;
  }

  private sendFailed(err: unknown, count: number): FeedctlError {
    return new FeedctlError('KAFKA_REQUEST_FAILED', causeText(err), {
      subsystem: 'runtime.dlq',
      action: 'write to dead-letter topic',
      id: this.spec.deadLetter.topic,
      retriable: true,
      context: {
        feed: this.spec.name,
        generation: this.generation,
        count,
        brokers: this.config.kafka.brokers,
      },
      cause: err,
    });
  }
}
