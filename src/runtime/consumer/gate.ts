/** Runs tasks one at a time per partition (a batch and a timed flush of one partition never overlap). */
export class PartitionGate {
  private readonly tails = new Map<number, Promise<void>>();

  /** Queues `task` after the partition's previous one; resolves or rejects with it. */
  run(partition: number, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(partition) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.catch(() => undefined);
    this.tails.set(partition, tail);
    void tail.then(() => {
      if (this.tails.get(partition) === tail) this.tails.delete(partition);
    });
    return result;
  }

  /** Resolves once every queued task has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
