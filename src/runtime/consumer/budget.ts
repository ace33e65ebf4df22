/**
 * The memory bound of a worker's lake buffers, all feeds and partitions together (`runtime.bufferBudgetMb`): past
 * it, a partition that receives a batch flushes its buffer before the batch completes, so its fetching waits for
 * the flush instead of buffering more. Each partition's own `flush.maxBytes` still applies.
 */
export interface BufferedBytes {
  /** Bytes buffered by this holder, all its partitions. */
  bufferedBytes(): number;
}

export class BufferBudget {
  private readonly holders = new Set<BufferedBytes>();

  constructor(readonly limitBytes: number) {}

  add(holder: BufferedBytes): void {
    this.holders.add(holder);
  }

  remove(holder: BufferedBytes): void {
    this.holders.delete(holder);
  }

  /** True when the buffers of every holder together exceed the limit. */
  exceeded(): boolean {
    let total = 0;
    for (const h of this.holders) {
      total += h.bufferedBytes();
      if (total > this.limitBytes) return true;
    }
    return false;
  }
}
