/**
 * What a consumer reports: its state and progress for the worker's heartbeat (feedctl status), mirrored into the
 * runtime metrics. Lag is the truth, not a position the consumer saw once: per assigned partition, the log end
 * offset (read by the worker's probe) minus the sink's durable offset — buffered lake records count as lag until
 * they are flushed. A partition whose durable offset does not move while its lag stays above zero for longer than
 * the stall threshold is *stalled*. Plain bookkeeping; nothing here steers consuming.
 */
import { maskSecrets } from '../../errors.js';
import type { Destination } from '../../feeds/types.js';
import type { RecentDeadLetter } from '../../control/status.js';
import { truncateUtf8, type DeadLetter } from '../dlq/headers.js';
import type { RuntimeMetrics } from '../metrics.js';
import { MessageRate } from './rate.js';

export type ConsumerState = 'starting' | 'running' | 'retrying' | 'stopping' | 'stopped' | 'failed';

/** One consumer's status, as stored in feedctl_workers.status. JSON-serialisable. */
export interface ConsumerStatus {
  feed: string;
  topic: string;
  destination: Destination;
  generation: number;
  state: ConsumerState;
  /** When this consumer (this generation, in this worker) was created. */
  startedAt: string;
  partitions: number[];
  /** Partitions of the topic, as last probed (null before the first probe). */
  topicPartitions: number | null;
  messages: number;
  deadLetters: number;
  /** Sum over assigned partitions of log end offset − the sink's durable offset, as last probed. */
  lag: number;
  /** The same per partition; a partition whose durable offset is not known yet is absent. */
  lagByPartition: Record<string, number>;
  /** Offsets made durable by the sink, per partition. */
  committed: Record<string, number>;
  /** Partitions with lag that made no durable progress for longer than the stall threshold. */
  stalled: number[];
  /** Partitions halted by a terminal failure (see lastError); they consume nothing until the consumer restarts. */
  halted: number[];
  lastProgressAt: string | null;
  lastError: string | null;
  /** Messages handled per second over the last minute and the last five minutes (sliding; from 10-second buckets). */
  rate: { perSecond1m: number; perSecond5m: number };
  /** The sink's last durable write: when, and for the lake the data file's key relative to the lake root (null for the warehouse); null before any. */
  lastWrite: { at: string; file: string | null } | null;
  /** The last dead letters, newest first, at most 5: never the message value, only coordinates and why. */
  recentDeadLetters: RecentDeadLetter[];
}

export type { RecentDeadLetter };

/** Dead letters a status keeps. */
export const RECENT_DEAD_LETTERS = 5;
/** Longest reason of a reported dead letter, in UTF-8 bytes. */
export const MAX_REASON_BYTES = 200;

/**
 * Why a message was dead-lettered, as its `feedctl.error.*` headers say: class and message, masked and cut short.
 * A `parse` failure shows its class alone: the JSON parser's message quotes the value it could not read, and status
 * (the page, `feedctl status`) never shows message values.
 */
export function deadLetterReason(failure: DeadLetter['failure']): string {
  if (failure.stage === 'parse') return `${failure.errorClass}: the value is not valid JSON`;
  return truncateUtf8(maskSecrets(`${failure.errorClass}: ${failure.message}`), MAX_REASON_BYTES);
}

/** A partition's offsets as the worker's probe read them from Kafka. */
export interface LogOffsets {
  partition: number;
  /** Log start offset. */
  low: number;
  /** Log end offset (high watermark). */
  high: number;
}

interface PartitionTrack {
  durable: number | null;
  /** Since when the partition has had lag without durable progress; null while it has none. */
  waitingSince: number | null;
}

export class ConsumerProgress {
  private s: ConsumerStatus;
  private readonly tracks = new Map<number, PartitionTrack>();
  private readonly rate: MessageRate;

  constructor(
    feed: string,
    topic: string,
    destination: Destination,
    generation: number,
    private readonly metrics: RuntimeMetrics,
    private readonly stallMs: number,
    /** The clock (ms since the epoch); injected by tests. */
    private readonly now: () => number = Date.now,
  ) {
    const started = now();
    this.rate = new MessageRate(started);
    this.s = {
      feed,
      topic,
      destination,
      generation,
      state: 'starting',
      startedAt: new Date(started).toISOString(),
      partitions: [],
      topicPartitions: null,
      messages: 0,
      deadLetters: 0,
      lag: 0,
      lagByPartition: {},
      committed: {},
      stalled: [],
      halted: [],
      lastProgressAt: null,
      lastError: null,
      rate: { perSecond1m: 0, perSecond5m: 0 },
      lastWrite: null,
      recentDeadLetters: [],
    };
  }

  status(): ConsumerStatus {
    const s = this.s;
    return {
      ...s,
      partitions: [...s.partitions],
      lagByPartition: { ...s.lagByPartition },
      committed: { ...s.committed },
      stalled: [...s.stalled],
      halted: [...s.halted],
      rate: this.rate.rates(this.now()),
      lastWrite: s.lastWrite && { ...s.lastWrite },
      recentDeadLetters: s.recentDeadLetters.map((d) => ({ ...d })),
    };
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

  /** A partition stopped for good after a terminal failure. */
  halted(partition: number, error: string): void {
    if (!this.s.halted.includes(partition))
      this.s.halted = [...this.s.halted, partition].sort((a, b) => a - b);
    this.s.lastError = error;
  }

  assigned(partitions: number[]): void {
    const keep = new Set(partitions);
    this.s.partitions = [...partitions].sort((a, b) => a - b);
    for (const p of [...this.tracks.keys()].filter((x) => !keep.has(x))) {
      this.tracks.delete(p);
      delete this.s.committed[String(p)];
      this.metrics.lag.remove({ ...this.labels(), partition: String(p) });
    }
    this.s.halted = this.s.halted.filter((p) => keep.has(p));
    this.summarize(Date.now());
  }

  /** Messages handled (stored, buffered or dead-lettered). */
  advanced(messages: number): void {
    const now = this.now();
    this.s.messages += messages;
    this.s.lastProgressAt = new Date(now).toISOString();
    this.rate.add(messages, now);
    if (this.s.state === 'retrying') this.s.state = 'running';
    this.metrics.messages.inc(this.labels(), messages);
  }

  /** The sink's durable next offset of a partition is now `offset` (read on resume, or written by the sink). */
  durable(partition: number, offset: number | null): void {
    const t = this.tracks.get(partition) ?? { durable: null, waitingSince: null };
    if (t.durable !== offset) t.waitingSince = null; // progress: the stall clock starts again
    t.durable = offset;
    this.tracks.set(partition, t);
    if (offset !== null) this.s.committed[String(partition)] = offset;
  }

  /** The probe read the log offsets: recompute lag and stalls of the assigned partitions; the newly stalled ones. */
  observed(offsets: LogOffsets[], nowMs = Date.now()): number[] {
    const before = new Set(this.s.stalled);
    const assigned = new Set(this.s.partitions);
    this.s.topicPartitions = offsets.length;
    for (const o of offsets) {
      const t = this.tracks.get(o.partition);
      if (!assigned.has(o.partition) || !t) continue;
      const lag = Math.max(0, o.high - (t.durable ?? o.low));
      this.s.lagByPartition[String(o.partition)] = lag;
      if (lag === 0) t.waitingSince = null;
      else t.waitingSince ??= nowMs;
      this.metrics.lag.set({ ...this.labels(), partition: String(o.partition) }, lag);
    }
    this.summarize(nowMs);
    return this.s.stalled.filter((p) => !before.has(p));
  }

  /** The sink made a write durable: for the lake, the key of its (last) data file under the lake root. */
  wrote(file: string | null): void {
    this.s.lastWrite = { at: new Date(this.now()).toISOString(), file };
  }

  /** Letters (in offset order) were sent to the dead-letter topic, or skipped when it is disabled. */
  deadLettered(letters: DeadLetter[]): void {
    this.s.deadLetters += letters.length;
    for (const { failure } of letters)
      this.metrics.deadLetters.inc({ ...this.labels(), stage: failure.stage });
    const at = new Date(this.now()).toISOString();
    const newest = letters.slice(-RECENT_DEAD_LETTERS).reverse();
    const recent = newest.map(({ message, failure }) => ({
      at,
      partition: message.partition,
      offset: String(message.offset),
      stage: failure.stage,
      reason: deadLetterReason(failure),
    }));
    this.s.recentDeadLetters = [...recent, ...this.s.recentDeadLetters].slice(0, RECENT_DEAD_LETTERS);
  }

  private summarize(nowMs: number): void {
    const lags = this.s.lagByPartition;
    for (const p of Object.keys(lags)) if (!this.tracks.has(Number(p))) delete lags[p];
    this.s.lag = Object.values(lags).reduce((a, b) => a + b, 0);
    this.s.stalled = [...this.tracks]
      .filter(([, t]) => t.waitingSince !== null && nowMs - t.waitingSince >= this.stallMs)
      .map(([p]) => p)
      .sort((a, b) => a - b);
    this.metrics.stalled.set(this.labels(), this.s.stalled.length > 0 ? 1 : 0);
  }

  private labels() {
    return { feed: this.s.feed, destination: this.s.destination };
  }
}
