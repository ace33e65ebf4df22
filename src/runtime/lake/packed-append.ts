/**
 * Decoding a packed batch (lane-protocol.ts) into a partition's key groups, the same on the main thread
 * (buffers.ts, MemoryBuffer) and in a lane thread (lane-thread.ts): each message the fast path reads
 * (decode/fast-row.ts) goes straight from the batch's bytes into the columns; every other one through the full
 * decoder, whose failures are returned for the dead-letter topic. Both paths give the same rows.
 */
import type { FeedSpec } from '../../feeds/types.js';
import { createDecoder, isFailure, type Decoder } from '../decode/decoder.js';
import { fastRowReader, type FastRowReader } from '../decode/fast-row.js';
import type { GroupLayout, KeyGroups } from './key-groups.js';
import { unpackMessage, type PackedBatch, type ReturnedInvalid } from './lane-protocol.js';

/** One feed generation's decoding of packed batches; both decoders are made on first use. */
export class PackedDecoder {
  private decoder: Decoder | undefined;
  private fastReader: FastRowReader | null | undefined;

  constructor(
    private readonly spec: FeedSpec,
    private readonly generation: number,
    private readonly layout: GroupLayout,
  ) {}

  /** Appends the valid records of `batch` to `groups`; returns the messages that are not valid records. */
  append(groups: KeyGroups, batch: PackedBatch, nowMs: number): ReturnedInvalid[] {
    const invalid: ReturnedInvalid[] = [];
    const { starts, lengths, bytes } = batch.values;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const text = (start: number, end: number): string => buffer.toString('latin1', start, end);
    const at = { partition: batch.partition, offset: 0, timestampMs: 0 };
    const fast = this.fast();
    for (let i = 0; i < batch.count; i++) {
      at.offset = batch.offsets[i] as number;
      at.timestampMs = batch.timestamps[i] as number;
      const start = starts[i] as number;
      const row = fast && start >= 0 ? fast(bytes, start, start + lengths[i]!, text, at.timestampMs) : null;
      if (row !== null) {
        groups.appendFast(row, bytes, at, nowMs);
        continue;
      }
      const d = this.full().decode(unpackMessage(batch, i));
      if (isFailure(d)) invalid.push({ message: unpackMessage(batch, i, true), failure: d });
      else groups.append(d, nowMs);
    }
    return invalid;
  }

  /** The fast path of the feed's messages; none where records are keyed by more than their event time. */
  private fast(): FastRowReader | null {
    if (this.fastReader === undefined) {
      this.fastReader = this.layout.partitioner.keyOfEventTime ? fastRowReader(this.spec) : null;
    }
    return this.fastReader;
  }

  /** The full decoder, for the messages the fast path does not read. */
  private full(): Decoder {
    return (this.decoder ??= createDecoder(this.spec, this.generation));
  }
}
