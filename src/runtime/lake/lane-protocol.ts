/**
 * The messages between a lake sink on the main thread and its lane in a worker thread (lane-thread.ts), and the
 * packing of a fetched batch into transferable buffers: values and keys back to back, each one's place, offset and
 * record timestamp in typed arrays — handed over, not copied, by postMessage. Headers (rare) travel as they are.
 * Nothing of a batch stays on the main thread: the thread sends back whole the few messages that are not valid
 * records, for the dead-letter topic.
 */
import type { FeedSpec } from '../../feeds/types.js';
import type { CopyableMessage, DecodeFailure, FetchedMessage, RawMessage } from '../record.js';

/** Bytes of one kind (values or keys) of a batch: each one's start (-1 for null) and length in `bytes`. */
export interface PackedBytes {
  starts: Int32Array;
  lengths: Int32Array;
  bytes: Uint8Array;
}

/** A batch of one partition's messages as transferable arrays. Invariant: every array has `count` entries. */
export interface PackedBatch {
  partition: number;
  count: number;
  offsets: Float64Array;
  timestamps: Float64Array;
  values: PackedBytes;
  keys: PackedBytes;
  /** The headers of the messages that have any, by index. */
  headers: [number, RawMessage['headers']][];
}

/** Which sink and buffer a request is about; the spec travels along so a restarted thread needs no set-up. */
export interface LaneScope {
  sink: string;
  spec: FeedSpec;
  generation: number;
  buffer: string;
}

export type LaneRequest =
  | ({ op: 'append'; batch: PackedBatch } & LaneScope)
  | ({ op: 'encode'; metadata: Record<string, string> } & LaneScope)
  | { op: 'discard'; sink: string; buffer: string }
  | { op: 'close'; sink: string };

/** A message that is not a valid record, as the thread sends it back (its bytes copied out of the batch). */
export interface ReturnedInvalid {
  message: RawMessage;
  failure: DecodeFailure;
}

/** What an append did: the messages that are not valid records, and the buffer's size now. */
export interface AppendResult {
  invalid: ReturnedInvalid[];
  rows: number;
  bytes: number;
}

/** One key's rows as a Parquet file. */
export interface EncodedGroup {
  key: number;
  rows: number;
  firstOffset: number;
  lastOffset: number;
  bytes: Uint8Array;
}

type Part = 'key' | 'value';

/** How a batch's messages are read: as Buffers, or copied straight from the client's fetched bytes. */
interface Access<M extends FetchedMessage> {
  byteLength(m: M, part: Part): number;
  copyBytes(m: M, part: Part, target: Uint8Array, at: number): void;
  timestampMs(m: M): number;
  hasHeaders(m: M): boolean;
}

const BUFFERS: Access<FetchedMessage> = {
  byteLength: (m, part) => m[part]?.length ?? -1,
  copyBytes: (m, part, target, at) => target.set(m[part] as Buffer, at),
  timestampMs: (m) => Number(m.timestamp),
  hasHeaders: (m) => m.headers !== undefined && hasAny(m.headers),
};

const COPIED: Access<CopyableMessage> = {
  byteLength: (m, part) => m.byteLength(part),
  copyBytes: (m, part, target, at) => m.copyBytes(part, target, at),
  timestampMs: (m) => m.timestampMs,
  hasHeaders: (m) => m.hasHeaders,
};

const copyable = (m: FetchedMessage): m is CopyableMessage =>
  typeof (m as CopyableMessage).copyBytes === 'function';

function packBytes<M extends FetchedMessage>(messages: readonly M[], part: Part, io: Access<M>): PackedBytes {
  const n = messages.length;
  const lengths = new Int32Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const length = io.byteLength(messages[i] as M, part);
    lengths[i] = length;
    if (length > 0) size += length;
  }
  const out = { starts: new Int32Array(n), lengths, bytes: new Uint8Array(size) };
  let at = 0;
  for (let i = 0; i < n; i++) {
    const length = lengths[i] as number;
    if (length === -1) {
      out.starts[i] = -1;
      lengths[i] = 0;
      continue;
    }
    out.starts[i] = at;
    if (length > 0) io.copyBytes(messages[i] as M, part, out.bytes, at);
    at += length;
  }
  return out;
}

/** Packs the messages of one partition at or past offset `from`; null when there are none. */
export function packBatch(
  partition: number,
  fetched: readonly FetchedMessage[],
  from: number,
): PackedBatch | null {
  let first = 0;
  while (first < fetched.length && Number((fetched[first] as FetchedMessage).offset) < from) first++;
  const messages = first === 0 ? fetched : fetched.slice(first);
  if (messages.length === 0) return null;
  return messages.every(copyable) ? pack(partition, messages, COPIED) : pack(partition, messages, BUFFERS);
}

function pack<M extends FetchedMessage>(
  partition: number,
  messages: readonly M[],
  io: Access<M>,
): PackedBatch {
  const count = messages.length;
  const out: PackedBatch = {
    partition,
    count,
    offsets: new Float64Array(count),
    timestamps: new Float64Array(count),
    values: packBytes(messages, 'value', io),
    keys: packBytes(messages, 'key', io),
    headers: [],
  };
  for (let i = 0; i < count; i++) {
    const m = messages[i] as M;
    out.offsets[i] = Number(m.offset);
    out.timestamps[i] = io.timestampMs(m);
    if (io.hasHeaders(m)) out.headers.push([i, m.headers as RawMessage['headers']]);
  }
  return out;
}

function hasAny(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** The buffers a packed batch transfers. */
export function transferables(b: PackedBatch): ArrayBuffer[] {
  const { values: v, keys: k } = b;
  return [b.offsets, b.timestamps, v.starts, v.lengths, v.bytes, k.starts, k.lengths, k.bytes].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/** Item `i` of packed bytes: a view (no copy), or a copy to send elsewhere. */
function itemAt(p: PackedBytes, i: number, copy: boolean): Buffer | null {
  const start = p.starts[i] as number;
  if (start < 0) return null;
  const view = Buffer.from(p.bytes.buffer, p.bytes.byteOffset + start, p.lengths[i]);
  return copy ? Buffer.from(view) : view;
}

/**
 * Message `i` of a packed batch as the decoder takes it: views of the batch's bytes, without key and headers; or,
 * `whole`, everything copied out (to send back).
 */
export function unpackMessage(b: PackedBatch, i: number, whole = false): RawMessage {
  return {
    partition: b.partition,
    offset: b.offsets[i] as number,
    timestampMs: b.timestamps[i] as number,
    key: whole ? itemAt(b.keys, i, true) : null,
    value: itemAt(b.values, i, whole),
    headers: whole ? (b.headers.find(([at]) => at === i)?.[1] ?? {}) : {},
  };
}

/** A message sent back by a thread, with Buffers again (the structured clone turned them into Uint8Arrays). */
export function receivedMessage(m: RawMessage): RawMessage {
  const buf = (u: Uint8Array | Buffer | string): Buffer | string =>
    typeof u === 'string' ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  const headers: RawMessage['headers'] = {};
  for (const [k, v] of Object.entries(m.headers)) {
    headers[k] = v === undefined ? undefined : Array.isArray(v) ? v.map(buf) : buf(v);
  }
  return {
    ...m,
    key: m.key && (buf(m.key) as Buffer),
    value: m.value && (buf(m.value) as Buffer),
    headers,
  };
}
