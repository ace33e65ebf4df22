/**
 * Readers of the Kafka record format's variable-length fields (zigzag varints, varlongs, varint-sized bytes and
 * record headers) at a cursor, with kafkajs' exact results and errors (kafkajs' `Decoder` does the same with a
 * BigInt per varlong byte). Used by kafka-records.ts and fetched-record.ts.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// kafkajs' own error, thrown where its decoder throws it: its fetch loop tells errors apart by class.
const { KafkaJSInvalidLongError } = require('kafkajs/src/errors.js') as {
  KafkaJSInvalidLongError: new (message: string) => Error;
};

/** A position in a buffer of records. */
export interface Cursor {
  b: Buffer;
  pos: number;
}

/** kafkajs' `readVarInt`, bit for bit (a zigzag 32-bit varint). */
export function readVarInt(c: Cursor): number {
  const b = c.b;
  let byte: number;
  let result = 0;
  let shift = 0;
  do {
    byte = b[c.pos++] as number;
    result += (byte & 0x7f) << shift;
    shift += 7;
  } while (byte >= 0x80);
  return (result >>> 1) ^ -(result & 1);
}

/** A zigzag varlong: a number when it has at most 7 bytes (49 bits, exact), else a BigInt. */
export function readVarLong(c: Cursor): number | bigint {
  const b = c.b;
  const start = c.pos;
  let byte: number;
  let raw = 0;
  let scale = 1;
  do {
    byte = b[c.pos++] as number;
    raw += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte >= 0x80 && c.pos - start < 7);
  if (byte < 0x80) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  c.pos = start;
  return readVarLongBig(c);
}

function readVarLongBig(c: Cursor): bigint {
  let byte: number;
  let raw = 0n;
  let shift = 0n;
  do {
    if (shift > 63n) throw new KafkaJSInvalidLongError('Invalid Long, must contain 9 bytes or less');
    byte = c.b[c.pos++] as number;
    raw += BigInt(byte & 0x7f) << shift;
    shift += 7n;
  } while (byte >= 0x80);
  return (raw >> 1n) ^ -(raw & 1n);
}

/**
 * Skips varint-sized bytes; their start, or -1 for null (length -1). They end at `min(c.pos, end)`: clamped to the
 * record, as kafkajs' record slice clamps them.
 */
export function skipBytes(c: Cursor, end: number): number {
  const length = readVarInt(c);
  if (length === -1) return -1;
  const start = Math.min(c.pos, end);
  c.pos += length;
  return start;
}

/** Varint-sized bytes as a view (null for -1), clamped to `end`. */
export function readBytes(c: Cursor, end: number): Buffer | null {
  const start = skipBytes(c, end);
  return start === -1 ? null : c.b.subarray(start, Math.min(c.pos, end));
}

export type RecordHeaders = Record<string, Buffer | null | (Buffer | null)[]>;

/**
 * A record's headers with kafkajs' merging: a key seen twice holds an array of its values, in order. Unlike
 * kafkajs, a key named like an `Object.prototype` member (`toString`) holds its value, not `[member, value]`.
 */
export function readHeaders(c: Cursor, end: number): RecordHeaders {
  const count = readVarInt(c);
  let headers: RecordHeaders = {};
  for (let i = 0; i < count; i++) {
    const keyBytes = readBytes(c, end);
    const key = String(keyBytes === null ? null : keyBytes.toString('utf8'));
    const value = readBytes(c, end);
    const had = Object.hasOwn(headers, key) ? headers[key] : undefined;
    const merged = had === undefined ? value : Array.isArray(had) ? had.concat([value]) : [had, value];
    // A computed key in a literal makes even "__proto__" an own property, as kafkajs' reduce does.
    if (key === '__proto__') headers = { ...headers, [key]: merged };
    else headers[key] = merged;
  }
  return headers;
}
