/**
 * Writes the messages a feed could not decode or store to its dead-letter topic (headers: headers.ts).
 *
 * Contract with the caller (the feed's consumer):
 * - `send()` resolves only once the broker acknowledged every message (acks -1); the caller commits the offsets of
 *   the failed messages only after that;
 * - a rejection with `retriable: true` (`KAFKA_REQUEST_FAILED`) is an infrastructure failure (broker down or
 *   unreachable, topic missing; see classify.ts): the caller retries with backoff and does not commit. A retried
 *   `send()` may write some dead letters twice; the `feedctl.original.*` headers identify duplicates;
 * - a rejection with `retriable: false` (`DEAD_LETTER_REFUSED`) means retrying cannot help (authorization, an
 *   invalid record, a letter the topic refuses even cut to feedctl's headers alone): terminal for the partition;
 * - a letter too large is cut rather than refused: one above {@link MAX_LETTER_BYTES} is cut before it is sent, and
 *   when the topic refuses a batch for its size (`MESSAGE_TOO_LARGE`, e.g. a smaller `max.message.bytes`), its
 *   letters are sent one at a time, a refused one cut to half its size until it fits (truncate.ts). Letters of a
 *   multi-partition topic that the broker had accepted in the refused batch are then written twice;
 * - with `deadLetter.enabled: false` nothing is written: each failure is logged (coordinates and error class, no
 *   payload and no message text, which may quote the payload) and counted, and the caller skips the message.
 *
 * The producer is the caller's, connected, preferably from `createProducer(config, { idempotent: true })`.
 */
import type { Config } from '../../config/config.js';
import type { Producer } from '../../clients/kafka.js';
import { FeedctlError, causeText } from '../../errors.js';
import type { Destination, FeedSpec } from '../../feeds/types.js';
import { logger, partitionFields } from '../../log.js';
import type { DecodeFailure } from '../record.js';
import { classifySendError } from './classify.js';
import { deadLetterMessage, messageBytes, type DeadLetter, type DeadLetterMessage } from './headers.js';
import { MAX_LETTER_BYTES, isMinimal, truncateLetter, type LetterPart } from './truncate.js';

export { MAX_LETTER_BYTES };

/**
 * Most bytes per produce request. kafkajs does not split a send: each partition's messages travel as one record
 * batch, which the broker refuses beyond `max.message.bytes` (1 MiB by default).
 */
export const MAX_SEND_BYTES = 512 * 1024;

/** Plain counters the caller reads. Invariant: only ever increase; a failure is counted once it is handled. */
export interface DeadLetterCounters {
  /** Messages acknowledged by the dead-letter topic. */
  sent: number;
  /** Of those, letters written cut to fit (`feedctl.truncated`). */
  truncated: number;
  /** Messages skipped because the feed's dead-letter topic is disabled. */
  skipped: number;
  /** Handled failures (sent or skipped) by stage. */
  byStage: Record<DecodeFailure['stage'], number>;
}

/** Consecutive groups of items of at most `maxBytes` each by `size` (a larger item travels alone). */
export function chunkBySize<T>(items: T[], maxBytes: number, size: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && bytes + n > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** One failure on its way: the full letter, and the one sent (`cut` empty when they are the same). */
interface Letter {
  failure: DeadLetter;
  full: DeadLetterMessage;
  message: DeadLetterMessage;
  cut: LetterPart[];
}

/** The dead-letter writer of one feed generation. */
export class DeadLetterWriter {
  readonly counters: DeadLetterCounters = {
    sent: 0,
    truncated: 0,
    skipped: 0,
    byStage: { parse: 0, schema: 0, snapshot: 0, write: 0 },
  };
  private readonly log;

  /** `destination`: the consumer that writes these letters, for the log lines. */
  constructor(
    private readonly config: Config,
    private readonly spec: FeedSpec,
    private readonly generation: number,
    private readonly producer: Producer,
    destination?: Destination,
  ) {
    this.log = logger('runtime.dlq', { feed: spec.name, destination, generation });
  }

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
    const letters = failures.map((failure): Letter => {
      const full = deadLetterMessage(failure, ctx);
      return { failure, full, ...truncateLetter(full, MAX_LETTER_BYTES) };
    });
    let truncated = 0;
    for (const chunk of chunkBySize(letters, MAX_SEND_BYTES, (l) => messageBytes(l.message))) {
      truncated += await this.sendChunk(chunk);
    }
    this.count(failures, 'sent');
    this.counters.truncated += truncated;
    this.log.warn(
      {
        ...partitionFields(failures.map((f) => f.message.partition)),
        deadLetterTopic: this.spec.deadLetter.topic,
        count: failures.length,
        truncated,
      },
      'dead letters written',
    );
    return failures.length;
  }

  /** Sends `chunk` in one request, or its letters one at a time when it is refused for its size. */
  private async sendChunk(chunk: Letter[]): Promise<number> {
    if (chunk.length > 1) {
      try {
        await this.produce(chunk.map((l) => l.message));
        return this.written(chunk);
      } catch (err) {
        if (classifySendError(err) !== 'size') throw this.sendFailed(err, chunk);
        this.log.info(
          {
            ...partitionFields(chunk.map((l) => l.failure.message.partition)),
            deadLetterTopic: this.spec.deadLetter.topic,
            count: chunk.length,
          },
          'dead-letter batch refused for its size, sending one at a time',
        );
      }
    }
    let truncated = 0;
    for (const letter of chunk) truncated += await this.sendAlone(letter);
    return truncated;
  }

  /** Sends one letter, halving it while the topic refuses it for its size, down to feedctl's headers alone. */
  private async sendAlone(letter: Letter): Promise<number> {
    for (;;) {
      try {
        await this.produce([letter.message]);
        return this.written([letter]);
      } catch (err) {
        if (classifySendError(err) !== 'size') throw this.sendFailed(err, [letter]);
        if (isMinimal(letter.message)) throw this.refused(err, letter);
        Object.assign(letter, truncateLetter(letter.full, Math.floor(messageBytes(letter.message) / 2)));
      }
    }
  }

  private async produce(messages: DeadLetterMessage[]): Promise<void> {
    await this.producer.send({ topic: this.spec.deadLetter.topic, acks: -1, messages });
  }

  /** Logs the acknowledged letters that were cut; returns how many. */
  private written(letters: Letter[]): number {
    const cut = letters.filter((l) => l.cut.length > 0);
    for (const l of cut) {
      this.log.warn(
        {
          deadLetterTopic: this.spec.deadLetter.topic,
          ...where(l),
          cut: l.cut.join(','),
          originalBytes: messageBytes(l.full),
          writtenBytes: messageBytes(l.message),
        },
        'dead letter truncated to fit the dead-letter topic',
      );
    }
    return cut.length;
  }

  private skip(failures: DeadLetter[]): void {
    for (const { message: m, topic, failure } of failures) {
      const { stage, errorClass } = failure;
      const where = { topic, partition: m.partition, offset: m.offset };
      this.log.warn({ ...where, stage, errorClass }, 'message skipped: dead-letter topic disabled');
    }
    this.count(failures, 'skipped');
  }

  private count(failures: DeadLetter[], outcome: 'sent' | 'skipped'): void {
    this.counters[outcome] += failures.length;
    for (const f of failures) this.counters.byStage[f.failure.stage]++;
  }

  /** Retriable when a later send can succeed (classify.ts), else terminal for the caller's partition. */
  private sendFailed(err: unknown, letters: Letter[]): FeedctlError {
    const retriable = classifySendError(err) === 'transient';
    return new FeedctlError(retriable ? 'KAFKA_REQUEST_FAILED' : 'DEAD_LETTER_REFUSED', causeText(err), {
      subsystem: 'runtime.dlq',
      action: 'write to dead-letter topic',
      id: this.spec.deadLetter.topic,
      retriable,
      context: {
        feed: this.spec.name,
        generation: this.generation,
        count: letters.length,
        first: where(letters[0]!),
        last: where(letters[letters.length - 1]!),
        brokers: this.config.kafka.brokers,
      },
      cause: err,
    });
  }

  private refused(err: unknown, letter: Letter): FeedctlError {
    const { topic, partition, offset } = where(letter);
    const bytes = messageBytes(letter.message);
    const detail =
      `the dead letter of ${topic} partition ${partition} offset ${offset} is refused even without its key, ` +
      `value and headers (${bytes} bytes of feedctl headers): ${causeText(err)}`;
    return new FeedctlError('DEAD_LETTER_REFUSED', detail, {
      subsystem: 'runtime.dlq',
      action: 'write to dead-letter topic',
      id: this.spec.deadLetter.topic,
      retriable: false,
      context: { feed: this.spec.name, generation: this.generation, topic, partition, offset, bytes },
      cause: err,
    });
  }
}

/** The coordinates of a letter's original message. */
function where(l: Letter): { topic: string; partition: number; offset: number } {
  return { topic: l.failure.topic, partition: l.failure.message.partition, offset: l.failure.message.offset };
}
