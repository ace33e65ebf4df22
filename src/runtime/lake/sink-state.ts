/** The options of a LakeSink and its state per assigned partition, with the commit records' row counts (pure). */
import type { FeedSpec } from '../../feeds/types.js';
import type { ThreadPool } from '../threads/pool.js';
import type { PartitionBuffer } from './buffers.js';
import type { FaultHook, PartitionState } from './commit.js';
import type { EncodedGroup } from './lane-protocol.js';
import type { Partitioner } from './partitioner.js';
import type { LakeStore } from './store.js';

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
  /** Lane threads that decode and encode stream feeds off the main thread; default: the main thread. */
  lanes?: ThreadPool;
  /** Tests only: called after each protocol step; throwing simulates a crash there. */
  faults?: FaultHook;
}

/** One assigned partition. Invariant: exists only between recover() and discard() or a failure. */
export interface Partition {
  state: PartitionState;
  /** nextOffset of the commit record as last read or written; null when the partition never committed. */
  committed: number | null;
  /** Number of that commit record: the next flush creates the one after it, unless another worker did. */
  seq: number;
  /** Records below this offset were already buffered or committed and are skipped. */
  accept: number;
  buffer: PartitionBuffer;
  /** Committed rows per key (partitioners that count); keys at or below `settled` leave the next record. */
  counts: Map<number, number>;
  settled: number;
  since: number | null;
  flushing: boolean;
}

export function countsOf(record: Record<string, number>): Map<number, number> {
  return new Map(Object.entries(record).map(([k, v]) => [Number(k), v]));
}

/** The counts the flush of `groups` commits: the committed ones plus the groups' rows, settled keys left out. */
export function nextCounts(p: Partition, groups: readonly EncodedGroup[]): Map<number, number> {
  const out = new Map([...p.counts].filter(([k]) => k > p.settled));
  for (const g of groups) out.set(g.key, (out.get(g.key) ?? 0) + g.rows);
  return out;
}
