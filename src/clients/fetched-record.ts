/**
 * A fetched Kafka record with kafkajs' fields (`KafkaMessage`), made without an object per field: the offset is a
 * string at once (kafkajs filters every batch on it), while the timestamp, key, value and headers are read from
 * the fetched bytes on first access and then kept. Code that copies many records reads them as numbers and byte
 * ranges instead ({@link FetchedRecord.timestampMs}, `byteLength`, `copyBytes`), so a lake consumer never makes
 * a Buffer per message.
 */
import {
  readHeaders,
  readVarInt,
  readVarLong,
  skipBytes,
  type Cursor,
  type RecordHeaders,
} from './kafka-wire.js';

/** kafkajs' record batch context, shared by the batch's records (strings as kafkajs makes them). */
export interface RecordContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
}

/** kafkajs' TimestampTypes.LOG_APPEND_TIME. */
export const LOG_APPEND_TIME = 1;

/** What a batch's records share: their context, and its first offset and timestamp as numbers. */
export class RecordBase {
  readonly offset: number;
  readonly timestamp: number;
  constructor(readonly context: RecordContext) {
    this.offset = Number(context.firstOffset);
    this.timestamp = Number(context.firstTimestamp);
  }
}

type Part = 'key' | 'value';

/** `first + delta` exactly: a number while it is a safe integer, else kafkajs' decimal string (BigInt sum). */
function sum(first: number, firstText: string, delta: number | bigint): number | string {
  if (typeof delta === 'number') {
    const n = first + delta;
    if (Number.isSafeInteger(first) && Number.isSafeInteger(n)) return n;
  }
  return (BigInt(firstText) + BigInt(delta)).toString();
}

export class FetchedRecord {
  readonly magicByte: number;
  readonly attributes: number;
  readonly offset: string;
  readonly isControlRecord: boolean;
  readonly batchContext: RecordContext;
  readonly #b: Buffer;
  /** The timestamp: a number while exact (its string is made on access), else kafkajs' string. */
  #timestamp: number | string;
  readonly #keyAt: number;
  readonly #keyEnd: number;
  readonly #valueAt: number;
  readonly #valueEnd: number;
  readonly #headersAt: number;
  readonly #hasHeaders: boolean;
  readonly #end: number;
  #key: Buffer | null | undefined;
  #value: Buffer | null | undefined;
  #headers: RecordHeaders | undefined;

  /** Reads the record at the cursor, which ends at `end` (the cursor is left inside it). */
  constructor(base: RecordBase, c: Cursor, end: number) {
    const { context } = base;
    this.magicByte = context.magicByte;
    this.attributes = c.b.readInt8(c.pos++);
    const timestampDelta = readVarLong(c);
    this.offset = String(sum(base.offset, context.firstOffset, readVarInt(c)));
    this.isControlRecord = context.isControlBatch;
    this.batchContext = context;
    this.#b = c.b;
    this.#timestamp =
      context.timestampType === LOG_APPEND_TIME && context.maxTimestamp
        ? context.maxTimestamp
        : sum(base.timestamp, context.firstTimestamp, timestampDelta);
    this.#keyAt = skipBytes(c, end);
    this.#keyEnd = Math.min(c.pos, end);
    this.#valueAt = skipBytes(c, end);
    this.#valueEnd = Math.min(c.pos, end);
    this.#headersAt = c.pos;
    this.#hasHeaders = readVarInt(c) > 0;
    this.#end = end;
  }

  /** kafkajs' timestamp: ms since the epoch as a decimal string. */
  get timestamp(): string {
    if (typeof this.#timestamp === 'number') this.#timestamp = String(this.#timestamp);
    return this.#timestamp;
  }

  /** The timestamp as a number, without making its string. */
  get timestampMs(): number {
    return typeof this.#timestamp === 'number' ? this.#timestamp : Number(this.#timestamp);
  }

  get key(): Buffer | null {
    if (this.#key === undefined)
      this.#key = this.#keyAt === -1 ? null : this.#b.subarray(this.#keyAt, this.#keyEnd);
    return this.#key;
  }

  get value(): Buffer | null {
    if (this.#value === undefined)
      this.#value = this.#valueAt === -1 ? null : this.#b.subarray(this.#valueAt, this.#valueEnd);
    return this.#value;
  }

  get headers(): RecordHeaders {
    this.#headers ??= readHeaders({ b: this.#b, pos: this.#headersAt }, this.#end);
    return this.#headers;
  }

  /** Whether the record has headers, without reading them. */
  get hasHeaders(): boolean {
    return this.#hasHeaders;
  }

  /** The number of bytes of the key or value; -1 when it is null. */
  byteLength(part: Part): number {
    if (part === 'key') return this.#keyAt === -1 ? -1 : this.#keyEnd - this.#keyAt;
    return this.#valueAt === -1 ? -1 : this.#valueEnd - this.#valueAt;
  }

  /** Copies the key or value (not null) into `target` at `at`. */
  copyBytes(part: Part, target: Uint8Array, at: number): void {
    if (part === 'key') this.#b.copy(target, at, this.#keyAt, this.#keyEnd);
    else this.#b.copy(target, at, this.#valueAt, this.#valueEnd);
  }
}
