/**
 * How one worker process spends `runtime.memoryBudgetMb` (pure). Measured with `npm run bench -- runtime` on the
 * local stack: a lane thread costs about 96 MB resident (its heap, its Parquet encoder's memory, its V8 instance),
 * the runtime thread (Kafka clients, warehouse writes) keeps a heap of three eighths of the budget, and the rest of
 * the process (Node itself, buffers outside the heaps) about 100 MB. The fetch window bounds what the Kafka
 * consumers of the process fetch at once: a fetched message costs several times its size in that heap (kafkajs's
 * message objects, a response decoded ahead, the warehouse's rows), so it is a sixteenth of it, shared by all.
 */
import { availableParallelism } from 'node:os';

export interface MemoryPlan {
  /** Old-generation heap of the thread `feedctl run` works in. */
  runtimeHeapMb: number;
  /** Lane threads (0: stream feeds are decoded and encoded on the runtime thread). */
  lanes: number;
  /** Old-generation heap of each lane thread. */
  laneHeapMb: number;
  /** Bytes all the process's consumers together may ask the brokers for in one fetch each. */
  fetchWindowBytes: number;
}

const LANE_MB = 96;
const REST_MB = 160;
const MAX_LANES = 8;

/** `threads`: the setting (null: auto, as many lanes as fit the budget, one per core at most). */
export function memoryPlan(
  budgetMb: number,
  threads: number | null,
  cores = availableParallelism(),
): MemoryPlan {
  const fit = Math.floor((budgetMb - REST_MB) / LANE_MB);
  const lanes = threads ?? Math.max(1, Math.min(cores, MAX_LANES, fit));
  const runtimeHeapMb = Math.max(64, Math.floor((budgetMb * 3) / 8));
  return {
    runtimeHeapMb,
    lanes,
    laneHeapMb: Math.min(256, Math.max(32, Math.floor(budgetMb / 8))),
    fetchWindowBytes: Math.floor((runtimeHeapMb * MIB) / 16),
  };
}

const MIB = 1024 * 1024;
