/**
 * Copies the sinks' durable offsets into the consumer group's committed offsets, for lag tooling and for the next
 * owner's first fetch. Kafka's offset is only a hint (a consumer always resumes at its sink's durable offset), so a
 * failed commit loses nothing — but it is never silent: it is logged at warn with the partition and offset and
 * retried on the next tick until it succeeds or the partition is revoked.
 */
import type { Consumer } from '../../clients/kafka.js';
import { causeText } from '../../errors.js';
import type { Logger } from 'pino';

export class KafkaCommits {
  /** Offsets whose commit failed, per partition (the latest wins). */
  private readonly pending = new Map<number, number>();

  constructor(
    private readonly topic: string,
    private readonly log: Logger,
  ) {}

  /** Commits `offset` for `partition`; on failure keeps it for {@link retry}. Never throws. */
  async commit(consumer: Consumer | undefined, partition: number, offset: number): Promise<void> {
    this.pending.set(partition, offset);
    await this.send(consumer, [partition]);
  }

  /** Retries the commits that failed. */
  async retry(consumer: Consumer | undefined): Promise<void> {
    if (this.pending.size > 0) await this.send(consumer, [...this.pending.keys()]);
  }

  /** The partition was revoked: its commit is the new owner's business now. */
  forget(partition: number): void {
    this.pending.delete(partition);
  }

  private async send(consumer: Consumer | undefined, partitions: number[]): Promise<void> {
    if (!consumer) return;
    const offsets = partitions.map((p) => ({ partition: p, offset: this.pending.get(p) as number }));
    try {
      await consumer.commitOffsets(
        offsets.map((o) => ({ topic: this.topic, partition: o.partition, offset: String(o.offset) })),
      );
      for (const o of offsets)
        if (this.pending.get(o.partition) === o.offset) this.pending.delete(o.partition);
    } catch (err) {
      for (const o of offsets) {
        this.log.warn(
          { partition: o.partition, offset: o.offset, err: causeText(err) },
          'kafka offset commit failed; retrying',
        );
      }
    }
  }
}
