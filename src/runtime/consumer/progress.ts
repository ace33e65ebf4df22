/**
 * What a consumer reports: its state and progress for the worker's heartbeat (feedctl status), mirrored into the
 * runtime metrics. Plain counters; nothing here steers consuming.
 */
import type { RuntimeMetrics } from '../metrics.js';
import type { DecodeFailure } from '../record.js';
import type { Destination } from './handler.js';

export type ConsumerState = 'starting' | 'running' | 'retrying' | 'stopping' | 'stopped' | 'failed';

/** One consumer's status, as stored in feedctl_workers.status. JSON-serialisable. */
export interface ConsumerStatus {
  feed: string;
  destination: Destination;
  generation: number;
  state: ConsumerState;
  /** When this consumer (this generation, in this worker) was created. */
  startedAt: string;
  partitions: number[];
  messages: number;
  deadLetters: number;
  /** Sum over assigned partitions of high watermark − next offset, as of their last batch. */
  lag: number;
  /** Offsets made durable, per partition. */
  committed: Record<string, number>;
  lastProgressAt: string | null;
  lastError: string | null;
}

export class ConsumerProgress {
  private s: ConsumerStatus;
  private readonly lags = new Map<number, number>();

  constructor(
    feed: string,
    destination: Destination,
    generation: number,
    private readonly metrics: RuntimeMetrics,
  ) {
    this.s = {
      feed,
      destination,
      generation,
      state: 'starting',
      startedAt: new Date().toISOString(),
      partitions: [],
      messages: 0,
      deadLetters: 0,
      lag: 0,
      committed: {},
      lastProgressAt: null,
      lastError: null,
    };
  }

  status(): ConsumerStatus {
    return { ...this.s, partitions: [...this.s.partitions], committed: { ...this.s.committed } };
  }

  set(state: ConsumerState): void {
    this.s.state = state;
  }

  fail(error: string): void {
    this.s.state = 'failed';
    this.s.lastError = error;
  }

  retrying(error: string): void {
    this.s.state = 'retrying';
    this.s.lastError = error;
    this.metrics.retries.inc(this.labels());
  }

  assigned(partitions: number[]): void {
    this.s.partitions = [...partitions].sort((a, b) => a - b);
    for (const p of [...this.lags.keys()].filter((x) => !partitions.includes(x))) this.lags.delete(p);
    this.s.lag = [...this.lags.values()].reduce((a, b) => a + b, 0);
  }

  advanced(partition: number, next: number, highWatermark: number, messages: number): void {
    this.s.messages += messages;
    this.s.lastProgressAt = new Date().toISOString();
    if (this.s.state === 'retrying') this.s.state = 'running';
    const lag = Math.max(0, highWatermark - next);
    this.lags.set(partition, lag);
    this.s.lag = [...this.lags.values()].reduce((a, b) => a + b, 0);
    this.metrics.messages.inc(this.labels(), messages);
    this.metrics.lag.set({ ...this.labels(), partition: String(partition) }, lag);
  }

  committed(partition: number, offset: number): void {
    this.s.committed[String(partition)] = offset;
  }

  deadLettered(stages: DecodeFailure['stage'][]): void {
    this.s.deadLetters += stages.length;
    for (const stage of stages) this.metrics.deadLetters.inc({ ...this.labels(), stage });
  }

  private labels() {
    return { feed: this.s.feed, destination: this.s.destination };
  }
}
