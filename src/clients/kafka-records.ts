/**
 * Kafka record batches decoded without kafkajs' per-record 64-bit arithmetic. kafkajs (2.2.4) decodes every record
 * of a fetch through a new Decoder, a Buffer slice of the record, and BigInt-backed Longs for its offset and
 * timestamp (a varlong is summed byte by byte as BigInts, then parsed back from decimal strings): about half the
 * CPU of a consumer that does nothing with its messages. This decoder reads the same bytes into records with the
 * same fields — same strings, same Buffers, same batch context — and throws the same errors, with plain numbers
 * (BigInt only for values beyond 2^53); a record's timestamp, key, value and headers are made when first read
 * (fetched-record.ts), so a consumer that copies records in bulk makes no object per field. One deliberate
 * difference: a header named like an `Object.prototype` member (`toString`, `__proto__`) holds its value, where
 * kafkajs makes it `[the inherited member, value]`.
 *
 * It replaces one module of kafkajs, `protocol/recordBatch/v0/decoder.js`, the only one that decodes fetched
 * record batches, by its entry in Node's CommonJS module cache; the fetch response modules that import it are
 * dropped from the cache so they are loaded again with it (kafkajs requires them anew for each fetch request).
 * `useRecordDecoder('kafkajs')` puts kafkajs' own back (the benchmark compares both).
 */
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { FeedctlError } from '../errors.js';
import { FetchedRecord, LOG_APPEND_TIME, RecordBase, type RecordContext } from './fetched-record.js';
import { readVarInt } from './kafka-wire.js';

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
// kafkajs' own error, thrown where its decoder throws it: its fetch loop tells errors apart by class.
const { KafkaJSPartialMessageError } = require(at('errors.js')) as {
  KafkaJSPartialMessageError: new (message: string) => Error;
};
const { lookupCodecByAttributes } = require(at('protocol/message/compression/index.js')) as {
  lookupCodecByAttributes(attributes: number): Codec | null;
};
const TIMESTAMP_TYPE_FLAG_MASK = 0x8;
const TRANSACTIONAL_FLAG_MASK = 0x10;
const CONTROL_FLAG_MASK = 0x20;
/** Bytes of a batch's header after its length field, up to its record count. */
const HEADER_BYTES = 45;

type BatchContext = Omit<RecordContext, 'magicByte'>;

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
  const attributes = b.readInt16BE(9);
  const context = batchContext(b, attributes, firstOffset);
  const codec = lookupCodecByAttributes(attributes);
  const records = await decodeRecords(b, codec, { ...context, magicByte: b.readInt8(4) });
  return { ...context, records };
}

function batchContext(b: Buffer, attributes: number, firstOffset: string): BatchContext {
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

async function decodeRecords(b: Buffer, codec: Codec | null, context: RecordContext) {
  const count = b.readInt32BE(HEADER_BYTES);
  if (!codec) return count === -1 ? [] : readRecords(b, HEADER_BYTES + 4, count, context);
  if (count <= 0) return [];
  const plain = await codec.decompress(b.subarray(HEADER_BYTES + 4));
  return readRecords(plain, 0, count, context);
}

function readRecords(b: Buffer, from: number, count: number, context: RecordContext): FetchedRecord[] {
  const base = new RecordBase(context);
  const records = new Array<FetchedRecord>(count);
  const c = { b, pos: from };
  for (let i = 0; i < count; i++) {
    const length = readVarInt(c);
    if (length < 0) throw corrupt(context, i);
    const end = c.pos + length;
    records[i] = new FetchedRecord(base, c, end);
    c.pos = end;
  }
  return records;
}

/** A record of negative length (kafkajs would fail on it with a TypeError; nothing after it can be read). */
function corrupt(context: RecordContext, index: number): FeedctlError {
  return new FeedctlError('KAFKA_REQUEST_FAILED', 'a fetched record has a negative length', {
    subsystem: 'kafka',
    action: 'decode record batch',
    context: { firstOffset: context.firstOffset, index },
  });
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
