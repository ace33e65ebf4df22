/**
 * Where a lake sink's partition buffers live: on the main thread, or in the lake lane threads of a pool (one
 * partition sticks to one thread). Only stream feeds go to threads: a table feed's records are decoded by its
 * consumer, which reads their snapshot versions first.
 */
import { randomBytes } from 'node:crypto';
import type { FeedSpec } from '../../feeds/types.js';
import type { MemoryPlan } from '../memory.js';
import { threadModule } from '../threads/entry.js';
import { ThreadPool } from '../threads/pool.js';
import { MemoryBuffer, ThreadBuffer, type PartitionBuffer } from './buffers.js';
import { groupLayout, KeyGroups, type GroupLayout } from './key-groups.js';
import { PackedDecoder } from './packed-append.js';
import type { Partitioner } from './partitioner.js';

export interface BufferSource {
  /** A new, empty buffer for a partition. */
  buffer(partition: number): PartitionBuffer;
  /** The sink is done: what its buffers hold elsewhere is dropped. */
  close(): void;
}

/** Buffers on the main thread; raw messages are decoded there too (the full decoder is made on first use). */
export function memoryBuffers(spec: FeedSpec, generation: number, partitioner: Partitioner): BufferSource {
  const layout: GroupLayout = groupLayout(spec, partitioner);
  const decoder = new PackedDecoder(spec, generation, layout);
  return {
    buffer: () => new MemoryBuffer(new KeyGroups(layout), decoder),
    close: () => undefined,
  };
}

/**
 * Buffers in the lane threads of `pool` (stream feeds: the day partitioner, which the threads use). Each new
 * buffer goes to the next thread in turn, so the partitions' work spreads evenly over the threads as buffers are
 * flushed and made anew.
 */
export function threadBuffers(pool: ThreadPool, spec: FeedSpec, generation: number): BufferSource {
  const sink = randomBytes(6).toString('hex');
  let made = 0;
  return {
    buffer: (partition) => {
      const scope = { sink, spec, generation, buffer: `${partition}.${made++}` };
      return new ThreadBuffer(pool, pool.nextThread(), scope);
    },
    close: () => pool.broadcast({ op: 'close', sink }),
  };
}

/** The lane threads of a worker process, as its memory plan says (none for 0 lanes). */
export function lanePool(plan: MemoryPlan): ThreadPool | undefined {
  if (plan.lanes === 0) return undefined;
  const limits = { maxOldGenerationSizeMb: plan.laneHeapMb, maxYoungGenerationSizeMb: 8 };
  return new ThreadPool(threadModule(import.meta.url, './lane-thread.js'), plan.lanes, limits);
}
