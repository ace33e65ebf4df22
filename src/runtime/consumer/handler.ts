/**
 * What a destination does with decoded records. The consumer (feed-consumer.ts, its partitions' lifecycle in
 * partition-states.ts) owns decoding, dead letters, Kafka offsets, retries and rebalances; a handler only makes
 * records durable in its sink and says up to which offset they are.
 */
import type { Destination } from '../../feeds/types.js';
import type { InvalidMessage } from '../lake/buffers.js';
import type { DecodedRecord, FetchedMessage } from '../record.js';
import type { RejectedRecord } from '../warehouse/rows.js';

/** Sends rows a sink refused (stage `write`) to the dead-letter topic; resolves once they are acknowledged. */
export type RejectSink = (rejected: RejectedRecord[]) => Promise<void>;

/** Sends messages that are not valid records to the dead-letter topic; resolves once they are acknowledged. */
export type InvalidSink = (invalid: InvalidMessage[]) => Promise<void>;

/** What a handler tells its consumer besides the durable offsets its calls resolve with. */
export interface HandlerHooks {
  invalid: InvalidSink;
  /** A background flush made the partition durable up to `offset`. */
  durable(partition: number, offset: number): Promise<void>;
  /** The sink made records durable: the key of the lake's (last) data file under the lake root, null for the warehouse. */
  wrote(file: string | null): void;
}

/** Invariant: a partition is used between `start()` and `forget()`; calls for one partition never overlap. */
export interface SinkHandler {
  readonly destination: Destination;
  /**
   * Whether `handle` may simply be called again after an infrastructure failure (a transaction that rolled back):
   * the consumer then retries it in place; otherwise the partition restarts from its durable offset.
   */
  readonly idempotent: boolean;
  /**
   * Whether this destination dead-letters the messages that are not valid records. One destination per feed does,
   * so a bad message is dead-lettered once, not once per destination.
   */
  readonly reportsInvalid: boolean;
  /** The longest a partition may hold consumed records before making them durable (0: never holds any). */
  readonly holdsMs: number;
  /** A partition was assigned: its durable next offset (null when nothing was stored yet); resets its state. */
  start(partition: number): Promise<number | null>;
  /**
   * Takes one batch's records (offset order) that cover offsets up to `nextOffset` (exclusive; dead-lettered
   * messages included). Resolves with the offset now durable — to commit to Kafka — or null while buffered.
   */
  handle(
    partition: number,
    records: DecodedRecord[],
    nextOffset: number,
    reject: RejectSink,
  ): Promise<number | null>;
  /**
   * Handlers that decode raw messages themselves (the lake of a stream feed, in its lane threads) take the batch
   * undecoded instead of through `handle`; they send what is not a valid record to `hooks.invalid` before the
   * offsets that cover it become durable, and may make offsets durable in the background (`hooks.durable`).
   */
  handleRaw?(partition: number, messages: FetchedMessage[], nextOffset: number): Promise<number | null>;
  connect?(hooks: HandlerHooks): void;
  /** Waits for work the handler runs in the background (before a stop flushes what is left). */
  idle?(): Promise<void>;
  /** Partitions whose buffer should be made durable now (time-based flush). */
  due(nowMs: number): number[];
  /** Makes a partition's buffer durable; resolves with the durable offset (null when nothing was pending). */
  flush(partition: number): Promise<number | null>;
  /** The partition was revoked or its state is unknown after a failure: drop what is buffered. */
  forget(partition: number): void;
  /** The consumer stopped: release what the handler holds beyond its partitions. */
  close(): void;
}
