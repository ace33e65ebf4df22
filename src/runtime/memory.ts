/**
 * How one worker process spends `runtime.memoryBudgetMb` (pure). Measured with `npm run bench -- runtime` on the
 * local stack (5M small messages into both sinks): the process's resident memory is about 110 MB of fixed cost
 * (Node and the host thread of `feedctl run`, the runtime thread's isolate and code), the runtime thread's heap
 * (Kafka clients, warehouse writes), which V8 lets grow to its limit — a quarter of the budget — and about 96 MB
 * per lane thread (its heap, its Parquet encoder's WebAssembly memory, its V8 instance). With the default 256 MB
 * budget one worker peaked at 290 MB: a runtime heap of three eighths (96 MB) cost 50 MB more for the same rates.
 * The fetch window bounds what the Kafka consumers of the process fetch at once, shared by all: a fetched message
 * costs several times its size in that heap (kafkajs's message objects, a response decoded ahead, the warehouse's
 * rows). It is a sixty-fourth of the heap (1 MiB by default): with a sixteenth (4 MiB) the lake bench ingested
 * 190–225k msgs/s and peaked at 300 MB, with 1 MiB 235–241k and 270 MB (and 2 or 3 workers of the scale-out bench
 * kept pace as well). Most of that heap's collection work stays either way: kafkajs promotes about as much per
 * message when it does nothing with them.
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
  const runtimeHeapMb = Math.max(48, Math.floor(budgetMb / 4));
  return {
    runtimeHeapMb,
    lanes,
    laneHeapMb: Math.min(256, Math.max(32, Math.floor(budgetMb / 8))),
    fetchWindowBytes: Math.floor((runtimeHeapMb * MIB) / 64),
  };
}

const MIB = 1024 * 1024;
