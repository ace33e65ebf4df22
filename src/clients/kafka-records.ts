/**
 * Kafka record batches decoded without kafkajs' per-record 64-bit arithmetic. kafkajs (2.2.4) decodes every record
 * of a fetch through a new Decoder, a Buffer slice of the record, and BigInt-backed Longs for its offset and
 * timestamp (a varlong is summed byte by byte as BigInts, then parsed back from decimal strings): about half the
 * CPU of a consumer that does nothing with its messages. This decoder reads the same bytes into the same records —
 * same fields, same strings, same Buffers, same errors — with plain numbers, falling back to BigInt only for values
 * beyond 2^53.
 *
 * It replaces one module of kafkajs, `protocol/recordBatch/v0/decoder.js`, the only one that decodes fetched
 * record batches, by its entry in Node's CommonJS module cache; the fetch response modules that import it are
 * dropped from the cache so they are loaded again with it (kafkajs requires them anew for each fetch request).
 * `useRecordDecoder('kafkajs')` puts kafkajs' own back (the benchmark compares both).
 */
import { createRequire, Module } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const KAFKAJS = path.dirname(require.resolve('kafkajs/package.json'));
const at = (file: string) => path.join(KAFKAJS, 'src', file);
const DECODER = at('protocol/recordBatch/v0/decoder.js');
/** Every module that imports the record batch decoder, directly or not (fetch responses v4 to v11). */
const DEPENDENTS = [
  at('protocol/requests/fetch/v4/decodeMessages.js'),
  ...[4, 5, 6, 7, 8, 9, 10, 11].map((v) => at(`protocol/requests/fetch/v${v}/response.js`)),
];

interface KafkajsDecoder {
  buffer: Buffer;
  offset: number;
  readInt64(): bigint;
  readInt32(): number;
  forward(n: number): void;
}
interface Codec {
  decompress(b: Buffer): Promise<Buffer>;
}
// kafkajs' own errors, thrown where its decoder throws them: its fetch loop tells them apart.
const { KafkaJSPartialMessageError, KafkaJSInvalidLongError } = require(at('errors.js')) as Record<
  'KafkaJSPartialMessageError' | 'KafkaJSInvalidLongError',
  new (message: string) => Error
>;
const { lookupCodecByAttributes } = require(at('protocol/message/compression/index.js')) as {
  lookupCodecByAttributes(attributes: number): Codec | null;
};
const LOG_APPEND_TIME = 1;
const TIMESTAMP_TYPE_FLAG_MASK = 0x8;
const TRANSACTIONAL_FLAG_MASK = 0x10;
const CONTROL_FLAG_MASK = 0x20;
/** Bytes of a batch's header after its length field, up to its record count. */
const HEADER_BYTES = 45;

/** kafkajs' record batch context, shared by the batch's records (strings as kafkajs makes them). */
interface BatchContext {
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
}

/** The batch at the decoder's position, as kafkajs' RecordBatchDecoder returns it. */
async function decodeRecordBatch(fetch: KafkajsDecoder) {
  const firstOffset = fetch.readInt64().toString();
  const length = fetch.readInt32();
  const start = fetch.offset;
  fetch.forward(length);
  const available = Math.min(length, Math.max(0, fetch.buffer.length - start));
  if (available < length) {
    throw new KafkaJSPartialMessageError(
      `Tried to decode a partial record batch: remainingBytes(${available}) < recordBatchLength(${length})`,
    );
  }
  const b = fetch.buffer.subarray(start, start + length);
  const context = batchContext(b, firstOffset);
  const codec = lookupCodecByAttributes(b.readInt16BE(9));
  const records = await decodeRecords(b, codec, { ...context, magicByte: b.readInt8(4) });
  return { ...context, records };
}

function batchContext(b: Buffer, firstOffset: string): BatchContext {
  const attributes = b.readInt16BE(9);
  return {
    firstOffset,
    firstTimestamp: b.readBigInt64BE(15).toString(),
    partitionLeaderEpoch: b.readInt32BE(0),
    inTransaction: (attributes & TRANSACTIONAL_FLAG_MASK) > 0,
    isControlBatch: (attributes & CONTROL_FLAG_MASK) > 0,
    lastOffsetDelta: b.readInt32BE(11),
    producerId: b.readBigInt64BE(31).toString(),
    producerEpoch: b.readInt16BE(39),
    firstSequence: b.readInt32BE(41),
    maxTimestamp: b.readBigInt64BE(23).toString(),
    timestampType: (attributes & TIMESTAMP_TYPE_FLAG_MASK) > 0 ? LOG_APPEND_TIME : 0,
  };
}

type RecordContext = BatchContext & { magicByte: number };

async function decodeRecords(b: Buffer, codec: Codec | null, context: RecordContext) {
  const count = b.readInt32BE(HEADER_BYTES);
  if (!codec) return count === -1 ? [] : readRecords(b, HEADER_BYTES + 4, count, context);
  if (count <= 0) return [];
  const plain = await codec.decompress(b.subarray(HEADER_BYTES + 4));
  return readRecords(plain, 0, count, context);
}

/** The reading position of {@link readRecords} and its helpers (one decode runs at a time: all of it is sync). */
let pos = 0;

function readRecords(b: Buffer, from: number, count: number, context: RecordContext) {
  const base = new RecordBase(context);
  const records = new Array(count);
  pos = from;
  for (let i = 0; i < count; i++) {
    const length = readVarInt(b);
    const end = pos + length;
    records[i] = readRecord(b, end, base);
    pos = end;
  }
  return records;
}

/** What every record of a batch adds its deltas to, as numbers when exact. */
class RecordBase {
  readonly offset: number;
  readonly timestamp: number;
  constructor(readonly context: RecordContext) {
    this.offset = Number(context.firstOffset);
    this.timestamp = Number(context.firstTimestamp);
  }
}

/** One record, read up to `end`, with kafkajs' record fields in kafkajs' order. */
function readRecord(b: Buffer, end: number, base: RecordBase) {
  const { context } = base;
  const attributes = b.readInt8(pos++);
  const timestampDelta = readVarLong(b);
  const offsetDelta = readVarInt(b);
  const key = readBytes(b, end);
  const value = readBytes(b, end);
  const headers = readHeaders(b, end);
  return {
    magicByte: context.magicByte,
    attributes,
    timestamp:
      context.timestampType === LOG_APPEND_TIME && context.maxTimestamp
        ? context.maxTimestamp
        : sum(base.timestamp, context.firstTimestamp, timestampDelta),
    offset: sum(base.offset, context.firstOffset, offsetDelta),
    key,
    value,
    headers,
    isControlRecord: context.isControlBatch,
    batchContext: context,
  };
}

/** `first + delta` as a decimal string: with numbers while exact, else with BigInts (as kafkajs' Long does). */
function sum(first: number, firstText: string, delta: number | bigint): string {
  if (typeof delta === 'number') {
    const n = first + delta;
    if (Number.isSafeInteger(first) && Number.isSafeInteger(n)) return String(n);
  }
  return (BigInt(firstText) + BigInt(delta)).toString();
}

/** kafkajs' `readVarInt`, bit for bit (a zigzag 32-bit varint). */
function readVarInt(b: Buffer): number {
  let byte: number;
  let result = 0;
  let shift = 0;
  do {
    byte = b[pos++] as number;
    result += (byte & 0x7f) << shift;
    shift += 7;
  } while (byte >= 0x80);
  return (result >>> 1) ^ -(result & 1);
}

/** A zigzag varlong: a number when it has at most 7 bytes (49 bits, exact), else a BigInt. */
function readVarLong(b: Buffer): number | bigint {
  const start = pos;
  let byte: number;
  let raw = 0;
  let scale = 1;
  do {
    byte = b[pos++] as number;
    raw += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte >= 0x80 && pos - start < 7);
  if (byte < 0x80) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  pos = start;
  return readVarLongBig(b);
}

function readVarLongBig(b: Buffer): bigint {
  let byte: number;
  let raw = 0n;
  let shift = 0n;
  do {
    if (shift > 63n) throw new KafkaJSInvalidLongError('Invalid Long, must contain 9 bytes or less');
    byte = b[pos++] as number;
    raw += BigInt(byte & 0x7f) << shift;
    shift += 7n;
  } while (byte >= 0x80);
  return (raw >> 1n) ^ -(raw & 1n);
}

/** Varint-sized bytes (null for -1), a view clamped to the record as kafkajs' record slice clamps it. */
function readBytes(b: Buffer, end: number): Buffer | null {
  const length = readVarInt(b);
  if (length === -1) return null;
  const from = Math.min(pos, end);
  pos += length;
  return b.subarray(from, Math.min(pos, end));
}

type Headers = Record<string, Buffer | null | (Buffer | null)[]>;

/** The record's headers with kafkajs' merging: a key seen twice holds an array of its values, in order. */
function readHeaders(b: Buffer, end: number): Headers {
  const count = readVarInt(b);
  let headers: Headers = {};
  for (let i = 0; i < count; i++) {
    const keyBytes = readBytes(b, end);
    const key = String(keyBytes === null ? null : keyBytes.toString('utf8'));
    const value = readBytes(b, end);
    const had = headers[key];
    // A computed key in a literal makes even "__proto__" an own property, as kafkajs' reduce does.
    headers = {
      ...headers,
      [key]: had === undefined ? value : Array.isArray(had) ? had.concat([value]) : [had, value],
    };
  }
  return headers;
}

let stock: unknown;

/** Which record batch decoder kafkajs' fetches use from their next request on; feedctl's is set on import. */
export function useRecordDecoder(which: 'feedctl' | 'kafkajs'): void {
  stock ??= require(DECODER);
  const entry = new Module(DECODER);
  entry.filename = DECODER;
  entry.loaded = true;
  entry.exports = which === 'feedctl' ? decodeRecordBatch : stock;
  require.cache[DECODER] = entry;
  for (const file of DEPENDENTS) delete require.cache[file];
}

export { decodeRecordBatch };
