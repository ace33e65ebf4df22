/**
 * The Parquet lake sink of one feed and topic: buffers decoded records per Kafka partition as columns, split by
 * its partitioner's key (streams: UTC event day), and flushes them as one Parquet file per key with the
 * exactly-once protocol of commit.ts, over its store (the filesystem by default).
 *
 * Lifecycle per partition, driven by the consumer: `recover()` when the partition is assigned (seek to the offset
 * it returns), `append()` decoded records, `flush()` when `due()`, `discard()` on revocation. If `append` or
 * `flush` throws, the partition's buffer is gone and its state unknown: call `recover()` again and re-consume
 * from its result, exactly as after a crash.
 */
import { randomBytes } from 'node:crypto';
import type { Schema } from 'apache-arrow';
import { FeedctlError, wrapError } from '../../errors.js';
import type { FeedSpec } from '../../feeds/types.js';
import { logger } from '../../log.js';
import type { DecodedRecord } from '../record.js';
import { KeyBatch } from './batch.js';
import {
  commit,
  prune,
  publish,
  recover,
  stage,
  type CommitRecord,
  type FaultHook,
  type PartitionState,
  type StagedFile,
} from './commit.js';
import { METADATA_KEYS, parquetBytes } from './parquet.js';
import { dayPartitioner, type Partitioner } from './partitioner.js';
import { dataFileName, statePaths } from './paths.js';
import { arrowSchema, lakeColumns, schemaHash, type LakeColumn } from './schema.js';
import { fsStore, type LakeStore } from './store.js';

export interface LakeSinkOptions {
  /** Lake root folder; staging and commit records live under `<root>/_feedctl/` on the same filesystem. */
  root: string;
  feed: FeedSpec;
  /** The feed's registry generation, stored in each file's metadata. */
  generation: number;
  /** Hash of the feed spec that produced the records, stored in each file's metadata. */
  specHash: string;
  /** The topic consumed (the feed's current topic); its hash is part of file names and state paths. */
  topic: string;
  /** Where files and commit records go; default: the filesystem under `root`. */
  store?: LakeStore;
  /** How records are split into files; default: by UTC event day (streams). */
  partitioner?: Partitioner;
  /** Tests only: called after each protocol step; throwing simulates a crash there. */
  faults?: FaultHook;
}

/** One assigned partition. Invariant: exists only between recover() and discard() or a failure. */
interface Partition {
  state: PartitionState;
  /** nextOffset of the commit record as last read or written; null when the partition never committed. */
  committed: number | null;
  /** Number of that commit record: the next flush creates the one after it, unless another worker did. */
  seq: number;
  /** Records below this offset were already buffered or committed and are skipped. */
  accept: number;
  groups: Map<number, KeyBatch>;
  /** Committed rows per key (partitioners that count); keys at or below `settled` leave the next record. */
  counts: Map<number, number>;
  settled: number;
  rows: number;
  since: number | null;
  flushing: boolean;
}

export class LakeSink {
  private readonly columns: LakeColumn[];
  private readonly schema: Schema;
  private readonly schemaHash: string;
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
    this.columns = lakeColumns(opts.feed.schema.fields);
    this.schema = arrowSchema(this.columns);
    this.schemaHash = schemaHash(this.columns);
    this.store = opts.store ?? fsStore(opts.root);
    this.partitioner = opts.partitioner ?? dayPartitioner(opts.feed.name);
    const { feed, generation, topic } = opts;
    this.log = logger('runtime.lake', { feed: feed.name, destination: 'lake', generation, topic });
  }

  /** Finish or discard an interrupted flush of this partition; the next offset to consume, or null if none recorded. */
  async recover(partition: number): Promise<number | null> {
    if (this.partitions.get(partition)?.flushing) {
      throw this.misuse('recover', partition, 'a flush is running');
    }
    this.partitions.delete(partition);
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
    this.partitions.set(partition, { state, ...committed, accept, ...emptyBuffer() });
    return r.nextOffset;
  }

  /** Buffers decoded records of one partition (in offset order). */
  append(partition: number, records: readonly DecodedRecord[]): void {
    const p = this.assigned(partition, 'append');
    const now = Date.now();
    try {
      for (const r of records) {
        if (r.partition !== partition) {
          throw this.misuse('append', partition, `record of partition ${r.partition}`);
        }
        if (r.offset < p.accept) continue; // redelivered after a seek or a rebalance: already buffered or committed
        const key = this.partitioner.keyOf(r);
        let batch = p.groups.get(key);
        if (!batch) p.groups.set(key, (batch = new KeyBatch(this.columns, key)));
        batch.append(r, now);
        p.accept = r.offset + 1;
        p.rows += 1;
        p.since ??= now;
      }
    } catch (err) {
      this.partitions.delete(partition);
      throw err;
    }
  }

  /** What is buffered for a partition: rows, approximate bytes, ms timestamp of the oldest buffered append (or null). */
  pending(partition: number): { rows: number; bytes: number; since: number | null } {
    const p = this.partitions.get(partition);
    if (!p) return { rows: 0, bytes: 0, since: null };
    let bytes = 0;
    for (const b of p.groups.values()) bytes += b.bytes;
    return { rows: p.rows, bytes, since: p.since };
  }

  /** True when the partition's buffer reached a flush threshold of spec.destinations.lake.flush (rows/bytes), or is
   *  older than idleSeconds. */
  due(partition: number, nowMs: number): boolean {
    const { rows, bytes, since } = this.pending(partition);
    const f = this.opts.feed.destinations.lake.flush;
    if (rows === 0 || since === null) return false;
    return rows >= f.maxRows || bytes >= f.maxBytes || nowMs - since >= f.idleSeconds * 1000;
  }

  /** Writes and commits everything buffered for the partition; `nextOffset` (last consumed offset + 1, which may be
   *  past the last buffered record when later messages were dead-lettered) is what the commit record stores.
   *  Returns the files written (relative paths) and rows. */
  async flush(partition: number, nextOffset: number): Promise<{ files: string[]; rows: number }> {
    const p = this.assigned(partition, 'flush');
    if (p.flushing) throw this.misuse('flush', partition, 'a flush is already running');
    if (nextOffset < p.accept || !Number.isSafeInteger(nextOffset)) {
      throw this.misuse('flush', partition, `nextOffset ${nextOffset} is below buffered offset ${p.accept}`);
    }
    if (p.rows === 0 && nextOffset === p.committed) return { files: [], rows: 0 };
    const groups = [...p.groups.values()].sort((a, b) => a.key - b.key);
    const rows = p.rows;
    Object.assign(p, emptyBuffer(), { flushing: true, accept: nextOffset });
    const started = Date.now();
    try {
      const files = groups.map((g) => this.encode(partition, g));
      const paths = files.map((f) => f.path);
      const seq = p.seq + 1;
      await stage(p.state, seq, files, this.opts.faults);
      const counts = this.partitioner.counts ? nextCounts(p, groups) : null;
      const record: CommitRecord = {
        topic: this.opts.topic,
        partition,
        nextOffset,
        files: paths,
        writer: this.writer,
      };
      if (counts) record.counts = Object.fromEntries(counts);
      await commit(p.state, seq, record, this.opts.faults);
      Object.assign(p, { committed: nextOffset, seq }, counts ? { counts } : {});
      await publish(p.state, seq, record, this.opts.faults);
      await prune(p.state, seq);
      p.flushing = false;
      this.log.info({ partition, nextOffset, rows, files: paths, ms: Date.now() - started }, 'lake flushed');
      return { files: paths, rows };
    } catch (err) {
      if (this.partitions.get(partition) === p) this.partitions.delete(partition);
      throw wrapError(err, 'LAKE_WRITE_FAILED', { ...this.where('flush', partition), retriable: true });
    }
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
    this.partitions.delete(partition);
  }

  /** One key's records as a Parquet file at its final relative path. */
  private encode(partition: number, d: KeyBatch): StagedFile {
    const { feed, topic, generation, specHash } = this.opts;
    const k = METADATA_KEYS;
    const bytes = parquetBytes(d.toTable(this.schema), feed.destinations.lake.compression, {
      [k.feed]: feed.name,
      [k.generation]: String(generation),
      [k.specHash]: specHash,
      [k.schemaHash]: this.schemaHash,
      [k.topic]: topic,
      [k.partition]: String(partition),
      [k.firstOffset]: String(d.firstOffset),
      [k.lastOffset]: String(d.lastOffset),
    });
    const name = dataFileName(topic, partition, d.firstOffset, d.lastOffset);
    return { path: `${this.partitioner.dir(d.key)}/${name}`, bytes };
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

function countsOf(record: Record<string, number>): Map<number, number> {
  return new Map(Object.entries(record).map(([k, v]) => [Number(k), v]));
}

/** The counts the flush of `groups` commits: the committed ones plus the groups' rows, settled keys left out. */
function nextCounts(p: Partition, groups: readonly KeyBatch[]): Map<number, number> {
  const out = new Map([...p.counts].filter(([k]) => k > p.settled));
  for (const g of groups) out.set(g.key, (out.get(g.key) ?? 0) + g.rows);
  return out;
}

function emptyBuffer(): Pick<Partition, 'groups' | 'rows' | 'since' | 'flushing'> {
  return { groups: new Map(), rows: 0, since: null, flushing: false };
}
