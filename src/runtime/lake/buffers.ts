/**
 * Where a partition's rows wait for the next flush: a {@link PartitionBuffer}, either on the main thread
 * ({@link MemoryBuffer}) or in a lake lane thread ({@link ThreadBuffer}: decoding, column building and Parquet
 * encoding then run there, while the main thread keeps fetching). The sink sees one interface; `lanes` in its
 * options chooses.
 *
 * Raw appends to a thread are not awaited one by one: a partition may have up to {@link WINDOW_BYTES} of values in
 * flight, so the thread works while the main thread fetches the next batch. `invalid()` waits for everything in
 * flight and says which messages were not valid records (the caller dead-letters them before the flush commits).
 * A buffer whose thread died, or whose thread refused a request, is broken: every later call throws, and the
 * partition restarts from its durable offset as after any failed flush.
 */
import { internalError } from '../../errors.js';
import type { DecodeFailure, DecodedRecord, RawMessage } from '../record.js';
import type { ThreadPool } from '../threads/pool.js';
import type { KeyGroups } from './key-groups.js';
import type { PackedDecoder } from './packed-append.js';
import { loadParquet } from './parquet.js';
import {
  receivedMessage,
  transferables,
  type AppendResult,
  type EncodedGroup,
  type LaneRequest,
  type LaneScope,
  type PackedBatch,
} from './lane-protocol.js';

/** A message that is not a valid record, and why. */
export interface InvalidMessage {
  message: RawMessage;
  failure: DecodeFailure;
}

/** Invariant: records and raw messages are appended in offset order; `encode` or `discard` ends the buffer. */
export interface PartitionBuffer {
  /** Rows buffered (messages still in flight count as rows). */
  readonly rows: number;
  /** Approximate bytes buffered (columns; values of messages in flight). */
  readonly bytes: number;
  /** Appends records decoded by the caller (main thread buffers only). */
  append(records: readonly DecodedRecord[]): void;
  /** Decodes and appends a packed batch (given away); resolves when the buffer may take more. */
  appendRaw(batch: PackedBatch): Promise<void>;
  /** Waits for every raw append; the messages appended since the last call that are not valid records. */
  invalid(): Promise<InvalidMessage[]>;
  /** One Parquet file per key, in key order. */
  encode(metadata: Readonly<Record<string, string>>): Promise<EncodedGroup[]>;
  discard(): void;
}

/** Values in flight to a lane thread per partition before an append waits for the oldest reply. */
export const WINDOW_BYTES = 2 * 1024 * 1024;

/** The main thread's buffer; raw messages are decoded here with `decoder`. */
export class MemoryBuffer implements PartitionBuffer {
  private pendingInvalid: InvalidMessage[] = [];

  constructor(
    private readonly groups: KeyGroups,
    private readonly decoder: PackedDecoder,
  ) {}

  get rows(): number {
    return this.groups.rows;
  }
  get bytes(): number {
    return this.groups.bytes;
  }
  append(records: readonly DecodedRecord[]): void {
    const now = Date.now();
    for (const r of records) this.groups.append(r, now);
  }
  appendRaw(batch: PackedBatch): Promise<void> {
    for (const m of this.decoder.append(this.groups, batch, Date.now())) this.pendingInvalid.push(m);
    return Promise.resolve();
  }
  invalid(): Promise<InvalidMessage[]> {
    const out = this.pendingInvalid;
    this.pendingInvalid = [];
    return Promise.resolve(out);
  }
  async encode(metadata: Readonly<Record<string, string>>): Promise<EncodedGroup[]> {
    await loadParquet();
    return this.groups.encode(metadata);
  }
  discard(): void {}
}

type Settled = { ok: true; result: AppendResult } | { ok: false; error: unknown };
interface InFlight {
  count: number;
  bytes: number;
  reply: Promise<Settled>;
}

/** A buffer kept by lane thread `lane` of `pool`, valid while that thread lives. */
export class ThreadBuffer implements PartitionBuffer {
  private epoch: number;
  private readonly inflight: InFlight[] = [];
  private pendingInvalid: InvalidMessage[] = [];
  private settled = { rows: 0, bytes: 0 };
  private broken: unknown = null;

  constructor(
    private readonly pool: ThreadPool,
    private readonly lane: number,
    private readonly scope: LaneScope,
  ) {
    this.epoch = pool.epoch(lane);
  }

  get rows(): number {
    return this.settled.rows + this.inflight.reduce((n, f) => n + f.count, 0);
  }
  get bytes(): number {
    return this.settled.bytes + this.inflight.reduce((n, f) => n + f.bytes, 0);
  }

  append(): void {
    throw internalError(
      'lake',
      'append records',
      'records decoded on the main thread go to a main-thread buffer',
    );
  }

  async appendRaw(batch: PackedBatch): Promise<void> {
    this.check();
    // nothing lives in the thread yet: a thread restarted since the buffer was made is as good
    if (this.settled.rows === 0 && this.inflight.length === 0) this.epoch = this.pool.epoch(this.lane);
    const { count } = batch;
    const bytes = batch.values.bytes.length;
    const request: LaneRequest = { op: 'append', batch, ...this.scope };
    const reply = this.pool.call<AppendResult>(this.lane, this.epoch, request, transferables(batch)).then(
      (result): Settled => ({ ok: true, result }),
      (error: unknown): Settled => ({ ok: false, error }),
    );
    this.inflight.push({ count, bytes, reply });
    while (this.inflight.reduce((n, f) => n + f.bytes, 0) > WINDOW_BYTES) await this.settleOldest();
  }

  async invalid(): Promise<InvalidMessage[]> {
    while (this.inflight.length > 0) await this.settleOldest();
    this.check();
    const out = this.pendingInvalid;
    this.pendingInvalid = [];
    return out;
  }

  async encode(metadata: Readonly<Record<string, string>>): Promise<EncodedGroup[]> {
    await this.invalid();
    const request: LaneRequest = { op: 'encode', metadata, ...this.scope };
    return this.pool.call<EncodedGroup[]>(this.lane, this.epoch, request);
  }

  discard(): void {
    if (this.rows === 0) return; // the thread never saw it
    const request: LaneRequest = { op: 'discard', sink: this.scope.sink, buffer: this.scope.buffer };
    this.pool.call(this.lane, this.epoch, request).catch(() => undefined); // a lost thread took it along
  }

  private async settleOldest(): Promise<void> {
    const f = this.inflight.shift();
    if (!f) return;
    const s = await f.reply;
    if (!s.ok) {
      this.broken ??= s.error;
      return;
    }
    for (const { message, failure } of s.result.invalid) {
      this.pendingInvalid.push({ message: receivedMessage(message), failure });
    }
    this.settled = { rows: s.result.rows, bytes: s.result.bytes };
  }

  private check(): void {
    if (this.broken !== null) throw this.broken;
  }
}
