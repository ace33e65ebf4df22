/**
 * The consumer's hands on kafkajs' fetching of its partitions: seek, pause, resume, and retrying a step in place
 * while the partition is paused and the group heartbeat kept. Each call tolerates a consumer that crashed, is
 * restarting or lost the partition (kafkajs throws then; there is nothing to do).
 */
import type { Logger } from 'pino';
import type { Consumer, EachBatchPayload } from '../../clients/kafka.js';
import { causeText } from '../../errors.js';
import { retry } from '../retry.js';

export interface RetryPolicy {
  signal: AbortSignal;
  maxDelayMs: number;
  /** Told about each failure before the wait (the consumer's status). */
  onRetry(error: string): void;
  /** The partition runs again. */
  onResume(): void;
}

export class PartitionControl {
  consumer: Consumer | undefined;

  constructor(
    private readonly topic: string,
    private readonly log: Logger,
  ) {}

  seek(p: number, offset: number): void {
    this.quietly('seek', p, (c) => c.seek({ topic: this.topic, partition: p, offset: String(offset) }));
  }

  pause(p?: number): void {
    const partitions = p === undefined ? {} : { partitions: [p] };
    this.quietly('pause', p ?? null, (c) => c.pause([{ topic: this.topic, ...partitions }]));
  }

  resume(p: number): void {
    this.quietly('resume', p, (c) => c.resume([{ topic: this.topic, partitions: [p] }]));
  }

  /** Retries an idempotent step while it fails for infrastructure reasons, paused and heartbeating. */
  async retrying<T>(fn: () => Promise<T>, payload: EachBatchPayload, policy: RetryPolicy): Promise<T> {
    const p = payload.batch.partition;
    let paused = false;
    try {
      return await retry(fn, {
        signal: policy.signal,
        maxDelayMs: policy.maxDelayMs,
        onRetry: (err, attempt, delayMs) => {
          if (!paused) payload.pause();
          paused = true;
          policy.onRetry(causeText(err));
          this.log.warn({ partition: p, attempt, delayMs, err: err.message }, 'sink unavailable, retrying');
          void payload.heartbeat().catch(() => undefined);
        },
      });
    } finally {
      if (paused) {
        this.resume(p);
        policy.onResume();
      }
    }
  }

  private quietly(action: string, partition: number | null, fn: (c: Consumer) => void): void {
    try {
      if (this.consumer) fn(this.consumer);
    } catch (err) {
      const where = partition === null ? {} : { partition };
      this.log.debug({ action, ...where, err: causeText(err) }, 'partition control skipped');
    }
  }
}
