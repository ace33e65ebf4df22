/**
 * A lake lane: the entry of a worker thread (threads/pool.ts) that decodes raw messages, builds their columns and
 * encodes Parquet files for the lake sinks of the main thread (buffers.ts, ThreadBuffer). It holds, per sink, the
 * feed's decoder and layout (made from the spec each request carries, so a restarted thread needs no set-up) and
 * the key groups of each buffer. It never touches Kafka, the lake's files or MySQL: the main thread keeps the
 * commit protocol.
 */
import { parentPort } from 'node:worker_threads';
import { causeText, FeedctlError } from '../../errors.js';
import { groupLayout, KeyGroups, type GroupLayout } from './key-groups.js';
import type { AppendResult, EncodedGroup, LaneRequest } from './lane-protocol.js';
import { PackedDecoder } from './packed-append.js';
import { loadParquet } from './parquet.js';
import { dayPartitioner } from './partitioner.js';

interface SinkState {
  decoder: PackedDecoder;
  layout: GroupLayout;
  buffers: Map<string, KeyGroups>;
}

const sinks = new Map<string, SinkState>();

function sinkFor(r: Extract<LaneRequest, { op: 'append' | 'encode' }>): SinkState {
  let s = sinks.get(r.sink);
  if (!s) {
    const layout = groupLayout(r.spec, dayPartitioner(r.spec.name));
    s = { decoder: new PackedDecoder(r.spec, r.generation, layout), layout, buffers: new Map() };
    sinks.set(r.sink, s);
  }
  return s;
}

function append(r: Extract<LaneRequest, { op: 'append' }>): AppendResult {
  const s = sinkFor(r);
  let groups = s.buffers.get(r.buffer);
  if (!groups) s.buffers.set(r.buffer, (groups = new KeyGroups(s.layout)));
  const invalid = s.decoder.append(groups, r.batch, Date.now());
  return { invalid, rows: groups.rows, bytes: groups.bytes };
}

function encode(r: Extract<LaneRequest, { op: 'encode' }>): EncodedGroup[] {
  const s = sinkFor(r);
  const groups = s.buffers.get(r.buffer);
  s.buffers.delete(r.buffer);
  return groups ? groups.encode(r.metadata) : [];
}

/** The file's bytes in a buffer of their own (never a view into WebAssembly memory), to transfer. */
function ownBuffer(g: EncodedGroup): ArrayBuffer {
  const b = g.bytes;
  if (b.byteOffset !== 0 || b.byteLength !== b.buffer.byteLength) g.bytes = b.slice();
  return g.bytes.buffer as ArrayBuffer;
}

function handle(r: LaneRequest): unknown {
  switch (r.op) {
    case 'append':
      return append(r);
    case 'encode':
      return encode(r);
    case 'discard':
      return void sinks.get(r.sink)?.buffers.delete(r.buffer);
    case 'close':
      return void sinks.delete(r.sink);
  }
}

await loadParquet(); // a lane encodes: loaded before its first request (which wait in the port meanwhile)

parentPort?.on('message', (r: LaneRequest & { id: number }) => {
  try {
    const result = handle(r);
    const transfer = r.op === 'encode' ? (result as EncodedGroup[]).map((g) => ownBuffer(g)) : [];
    parentPort?.postMessage({ id: r.id, ok: true, result }, transfer);
  } catch (err) {
    const code = err instanceof FeedctlError ? err.code : 'INTERNAL';
    parentPort?.postMessage({ id: r.id, ok: false, code, message: causeText(err) });
  }
});
