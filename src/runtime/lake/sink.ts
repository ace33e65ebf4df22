/**
 * The Parquet lake sink of one feed and topic: buffers decoded records per Kafka partition as columns, split by
 * its partitioner's key (streams: UTC event day), and flushes them as one Parquet file per key with the
 * exactly-once protocol of commit.ts, over its store (the filesystem by default).
 *
 * Lifecycle per partition, driven by the consumer: `recover()` when the partition is assigned (seek to the offset
 * it returns), `append()` decoded records or `appendRaw()` fetched messages (decoded by the partition's buffer,
 * in a lane thread when the sink has lanes: buffers.ts), `flush()` when `due()`, `discard()` on revocation. A
 * flush takes the buffer at once, so appends may go on while it writes. If `append` or `flush` throws, the partition's buffer is gone and its state unknown: call `recover()` again and re-consume
 * from its result, exactly as after a crash.
 */
import { randomBytes } from 'node:crypto';
import { FeedctlError, wrapError } from '../../errors.js';
import { logger } from '../../log.js';
import type { DecodedRecord, FetchedMessage } from '../record.js';
import type { InvalidMessage } from './buffers.js';
import { countsOf, nextCounts, type LakeSinkOptions, type Partition } from './sink-state.js';
import { commit, prune, publish, recover, stage, type CommitRecord, type PartitionState } from './commit.js';
import { packBatch, type EncodedGroup } from './lane-protocol.js';
import { memoryBuffers, threadBuffers, type BufferSource } from './lanes.js';
import { fileMetadata, stagedFile } from './files.js';
import { dayPartitioner, type Partitioner } from './partitioner.js';
import { statePaths } from './paths.js';
import { lakeColumns, schemaHash } from './schema.js';
import { fsStore } from './store-fs.js';
import type { LakeStore } from './store.js';

export type { LakeSinkOptions } from './sink-state.js';

export class LakeSink {
  private readonly schemaHash: string;
  private readonly buffers: BufferSource;
  private readonly partitions = new Map<number, Partition>();
  /** Names this instance's staging folders: a zombie instance never touches a new owner's staged files. */
  private readonly writer = randomBytes(6).toString('hex');
  private readonly store: LakeStore;
  private readonly partitioner: Partitioner;
  private readonly log;

  constructor(private readonly opts: LakeSinkOptions) {
    if (opts.feed.type !== 'stream' && !opts.partitioner) {
      throw new FeedctlError('INTERNAL', 'a table feed needs its version partitioner', {
        subsystem: 'lake',
        action: 'open sink',
        id: opts.feed.name,
      });
    }
    this.schemaHash = schemaHash(lakeColumns(opts.feed.schema.fields));
    this.store = opts.store ?? fsStore(opts.root);
    this.partitioner = opts.partitioner ?? dayPartitioner(opts.feed.name);
    this.buffers =
      opts.lanes && !opts.partitioner
        ? threadBuffers(opts.lanes, opts.feed, opts.generation)
        : memoryBuffers(opts.feed, opts.generation, this.partitioner);
    const { feed, generation, topic } = opts;
    this.log = logger('runtime.lake', { feed: feed.name, destination: 'lake', generation, topic });
  }

  /** Finish or discard an interrupted flush of this partition; the next offset to consume, or null if none recorded. */
  async recover(partition: number): Promise<number | null> {
    if (this.partitions.get(partition)?.flushing) {
      throw this.misuse('recover', partition, 'a flush is running');
    }
    this.drop(partition);
    const state = this.partitionState(partition);
    const r = await recover(state, this.opts.faults).catch((err: unknown) => {
      throw wrapError(err, 'LAKE_WRITE_FAILED', { ...this.where('recover', partition), retriable: true });
    });
    if (r.missing.length > 0) {
      this.log.warn({ partition, missing: r.missing }, 'committed lake files missing');
    }
    this.log.info(
      {
        partition,
        nextOffset: r.nextOffset,
        rolledForward: r.rolledForward,
        discarded: r.discarded,
      },
      'lake partition recovered',
    );
    const accept = r.nextOffset ?? Number.NEGATIVE_INFINITY;
    const committed = { committed: r.nextOffset, seq: r.seq, counts: countsOf(r.counts), settled: 0 };
    this.partitions.set(partition, { state, ...committed, accept, ...this.emptyBuffer(partition) });
    return r.nextOffset;
  }

  /** Buffers decoded records of one partition (in offset order). */
  append(partition: number, records: readonly DecodedRecord[]): void {
    const p = this.assigned(partition, 'append');
    const fresh = this.unseen(p, partition, records);
    if (fresh.length === 0) return;
    try {
      p.buffer.append(fresh);
    } catch (err) {
      this.drop(partition);
      throw err;
    }
    p.accept = (fresh.at(-1) as DecodedRecord).offset + 1;
    p.since ??= Date.now();
  }

  /**
   * Buffers fetched messages of one partition (in offset order; those below what it already took are skipped),
   * decoded by the buffer (in a lane thread, or here); resolves when it may take more. {@link invalid} says which
   * were not valid records.
   */
  async appendRaw(partition: number, messages: readonly FetchedMessage[]): Promise<void> {
    const p = this.assigned(partition, 'append');
    const batch = packBatch(partition, messages, p.accept);
    if (batch === null) return;
    p.accept = (batch.offsets[batch.count - 1] as number) + 1;
    p.since ??= Date.now();
    await p.buffer.appendRaw(batch).catch((err: unknown) => this.failed(partition, p, err));
  }

  /** The raw messages appended since the last call that are not valid records (waits for their decoding). */
  async invalid(partition: number): Promise<InvalidMessage[]> {
    const p = this.assigned(partition, 'invalid');
    return p.buffer.invalid().catch((err: unknown) => this.failed(partition, p, err));
  }

  /** The sink is done with every partition: buffers kept in lane threads are dropped there. */
  close(): void {
    this.buffers.close();
  }

  /** The records at or past the partition's accept offset (a redelivery after a seek or rebalance is skipped). */
  private unseen(p: Partition, partition: number, records: readonly DecodedRecord[]): DecodedRecord[] {
    const fresh: DecodedRecord[] = [];
    for (const r of records) {
      if (r.partition !== partition) {
        this.drop(partition);
        throw this.misuse('append', partition, `record of partition ${r.partition}`);
      }
      if (r.offset >= p.accept) fresh.push(r);
    }
    return fresh;
  }

  /** A buffer failed: the partition's state is unknown until recover(). */
  private failed(partition: number, p: Partition, err: unknown): never {
    if (this.partitions.get(partition) === p) this.drop(partition);
    throw wrapError(err, 'LAKE_WRITE_FAILED', { ...this.where('append', partition), retriable: true });
  }

  /** What is buffered for a partition: rows, approximate bytes, ms timestamp of the oldest buffered append (or null). */
  pending(partition: number): { rows: number; bytes: number; since: number | null } {
    const p = this.partitions.get(partition);
    if (!p) return { rows: 0, bytes: 0, since: null };
    return { rows: p.buffer.rows, bytes: p.buffer.bytes, since: p.since };
  }

  /** True when the partition's buffer reached a flush threshold of spec.destinations.lake.flush (rows/bytes), or is
   *  older than idleSeconds. */
  due(partition: number, nowMs: number): boolean {
    const { rows, bytes, since } = this.pending(partition);
    const f = this.opts.feed.destinations.lake.flush;
    if (rows === 0 || since === null) return false;
    return rows >= f.maxRows || bytes >= f.maxBytes || nowMs - since >= f.idleSeconds * 1000;
  }

  /**
   * Writes and commits everything buffered for the partition; `nextOffset` (last consumed offset + 1, which may be
   * past the last buffered record when later messages were dead-lettered) is what the commit record stores. The
   * buffer is taken at once: appends during the flush go to a new one. `beforeCommit` gets the messages of the
   * flushed buffer that were not valid records (they must reach the dead-letter topic before the commit). Returns
   * the files written (relative paths) and rows.
   */
  async flush(
    partition: number,
    nextOffset: number,
    beforeCommit: (invalid: InvalidMessage[]) => Promise<void> = async () => undefined,
  ): Promise<{ files: string[]; rows: number }> {
    const p = this.assigned(partition, 'flush');
    if (p.flushing) throw this.misuse('flush', partition, 'a flush is already running');
    if (nextOffset < p.accept || !Number.isSafeInteger(nextOffset)) {
      throw this.misuse('flush', partition, `nextOffset ${nextOffset} is below buffered offset ${p.accept}`);
    }
    if (p.buffer.rows === 0 && nextOffset === p.committed) return { files: [], rows: 0 };
    const buffer = p.buffer;
    Object.assign(p, this.emptyBuffer(partition), { flushing: true, accept: nextOffset });
    const started = Date.now();
    try {
      const invalid = await buffer.invalid();
      if (invalid.length > 0) await beforeCommit(invalid);
      const groups = await buffer.encode(fileMetadata(this.opts, this.schemaHash, partition));
      const rows = groups.reduce((n, g) => n + g.rows, 0);
      const paths = await this.commitFiles(partition, p, nextOffset, groups);
      this.log.info({ partition, nextOffset, rows, files: paths, ms: Date.now() - started }, 'lake flushed');
      return { files: paths, rows };
    } catch (err) {
      if (this.partitions.get(partition) === p) this.drop(partition);
      throw wrapError(err, 'LAKE_WRITE_FAILED', { ...this.where('flush', partition), retriable: true });
    }
  }

  /** The commit protocol (commit.ts) for one flush's files; their paths. */
  private async commitFiles(
    partition: number,
    p: Partition,
    nextOffset: number,
    groups: EncodedGroup[],
  ): Promise<string[]> {
    const files = groups.map((g) => stagedFile(this.partitioner, this.opts.topic, partition, g));
    const paths = files.map((f) => f.path);
    const seq = p.seq + 1;
    await stage(p.state, seq, files, this.opts.faults);
    const counts = this.partitioner.counts ? nextCounts(p, groups) : null;
    const { topic } = this.opts;
    const record: CommitRecord = { topic, partition, nextOffset, files: paths, writer: this.writer };
    if (counts) record.counts = Object.fromEntries(counts);
    await commit(p.state, seq, record, this.opts.faults);
    Object.assign(p, { committed: nextOffset, seq }, counts ? { counts } : {});
    await publish(p.state, seq, record, this.opts.faults);
    await prune(p.state, seq);
    p.flushing = false;
    return paths;
  }

  /** Committed rows per key of a partition (partitioners that count; keys settled and flushed since are gone). */
  counted(partition: number): ReadonlyMap<number, number> {
    return this.assigned(partition, 'counted').counts;
  }

  /** Keys up to `key` need no count any more (their seal is recorded): the next commit record leaves them out. */
  settle(partition: number, key: number): void {
    const p = this.assigned(partition, 'settle');
    p.settled = Math.max(p.settled, key);
  }

  /** Drops a partition's buffer without writing (on revocation; the records will be re-read by the new owner). */
  discard(partition: number): void {
    this.drop(partition);
  }

  /** Forgets a partition and what its buffer holds. */
  private drop(partition: number): void {
    this.partitions.get(partition)?.buffer.discard();
    this.partitions.delete(partition);
  }

  private emptyBuffer(partition: number): Pick<Partition, 'buffer' | 'since' | 'flushing'> {
    return { buffer: this.buffers.buffer(partition), since: null, flushing: false };
  }

  private partitionState(partition: number): PartitionState {
    const rel = statePaths(this.opts.feed.name, this.opts.topic, partition);
    return { store: this.store, topic: this.opts.topic, partition, writer: this.writer, ...rel };
  }

  private assigned(partition: number, action: string): Partition {
    const p = this.partitions.get(partition);
    if (!p) throw this.misuse(action, partition, 'partition not recovered (call recover() after assignment)');
    return p;
  }

  private misuse(action: string, partition: number, detail: string): FeedctlError {
    return new FeedctlError('INTERNAL', detail, this.where(action, partition));
  }

  private where(action: string, partition: number) {
    return {
      subsystem: 'lake',
      action,
      id: `${this.opts.feed.name}/${partition}`,
      context: this.fields(partition),
    };
  }

  private fields(partition: number): Record<string, unknown> {
    return { feed: this.opts.feed.name, topic: this.opts.topic, partition };
  }
}
