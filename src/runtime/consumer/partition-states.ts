/**
 * A consumer's partitions: which are assigned to it, which are started (their read position), which are halted
 * and how often each failed in a row. A partition's state belongs to the code that runs inside the partition's
 * gate — kafkajs' batches and the timed flushes, one at a time — and the sink's durable offset is the truth,
 * Kafka's committed offset a hint.
 *
 * A partition is started on assignment (or on its first batch): the handler says its durable offset, and the
 * consumer seeks there (or to the log start when the sink holds nothing), whatever Kafka had; every batch is
 * resolved, so none is fetched for ever (resume.ts).
 *
 * Failures: a dead letter the broker refuses for good halts its partition (shown in status); any other failure
 * resets the partition — its buffer is dropped, it restarts from the durable offset — after a backoff. A revoked
 * partition is forgotten: everything about it is the new owner's.
 */
import type { Logger } from 'pino';
import type { Consumer } from '../../clients/kafka.js';
import { causeText, errorFields, FeedctlError } from '../../errors.js';
import { backoffDelay } from '../retry.js';
import type { PartitionGate } from './gate.js';
import type { SinkHandler } from './handler.js';
import type { KafkaCommits } from './kafka-commits.js';
import type { PartitionControl } from './partition-control.js';
import type { ConsumerProgress, LogOffsets } from './progress.js';
import { batchStep, startTarget, type ReadPosition } from './resume.js';
import type { Attempt, DeadLetters } from './sent-letters.js';

/** The parts of its consumer a partition's lifecycle touches. */
export interface PartitionDeps {
  topic: string;
  handler: SinkHandler;
  gate: PartitionGate;
  control: PartitionControl;
  commits: KafkaCommits;
  letters: DeadLetters;
  progress: ConsumerProgress;
  log: Logger;
  /** Aborted when the consumer stops. */
  signal: AbortSignal;
  /** The longest backoff before a failed partition restarts. */
  maxRetryDelayMs: number;
  /** The kafkajs consumer, once the consumer started. */
  consumer(): Consumer | undefined;
  /** The log start and end offsets of a topic's partitions (the worker's probe). */
  logOffsets(topic: string): Promise<LogOffsets[]>;
}

export class PartitionStates {
  private readonly positions = new Map<number, ReadPosition>();
  private assignment = new Set<number>();
  private readonly halted = new Set<number>();
  /** Consecutive failures per partition, for the backoff of recoverFrom. */
  private readonly failures = new Map<number, number>();

  constructor(private readonly d: PartitionDeps) {}

  /** The partition's read position; undefined until it is started (again). */
  position(p: number): ReadPosition | undefined {
    return this.positions.get(p);
  }

  isStarted(p: number): boolean {
    return this.positions.has(p);
  }

  /** A halted partition consumes nothing until the consumer restarts. */
  isHalted(p: number): boolean {
    return this.halted.has(p);
  }

  /** A batch of the partition went through: its run of failures is over. */
  succeeded(p: number): void {
    this.failures.delete(p);
  }

  /** The group (re)assigned the consumer's partitions. */
  assign(partitions: number[]): void {
    const keep = new Set(partitions);
    for (const p of this.assignment) if (!keep.has(p)) this.revoke(p);
    this.assignment = keep;
    this.d.progress.assigned(partitions);
    this.startIdle();
  }

  /**
   * Starts assigned partitions that have no batch to start them (a quiet partition whose Kafka offset is at the log
   * end while the sink is behind must still seek back). One attempt each; the next tick tries again.
   */
  startIdle(): void {
    for (const p of this.assignment) {
      if (this.positions.has(p) || this.halted.has(p)) continue;
      void this.d.gate.run(p, async () => {
        if (this.positions.has(p) || !this.assignment.has(p) || this.d.signal.aborted) return;
        await this.start(p, (fn) => fn()).catch((err: unknown) =>
          this.d.log.debug({ partition: p, err: causeText(err) }, 'partition start deferred'),
        );
      });
    }
  }

  /**
   * The handler's durable offset becomes the partition's position; the consumer seeks there, unless the batch at
   * hand (`first`) already starts there.
   */
  async start(p: number, attempt: Attempt, first: number | null = null): Promise<ReadPosition> {
    const { handler, log } = this.d;
    const durable = await attempt(() => handler.start(p));
    const logStart = durable === null ? await this.logStart(p) : null;
    const target = startTarget(durable, logStart);
    const pos: ReadPosition = { durable, next: null, soughtTo: first === target ? null : target };
    this.positions.set(p, pos);
    this.d.progress.durable(p, durable);
    if (pos.soughtTo !== null) this.d.control.seek(p, target);
    log.info({ partition: p, durable, seekTo: target }, 'partition started at its durable offset');
    if (durable !== null) await this.d.commits.commit(this.d.consumer(), p, durable);
    return pos;
  }

  /** Where this batch's messages start to count, or null after a seek (the batch is dropped). */
  positionFor(p: number, pos: ReadPosition, first: number, fetched: number): number | null {
    const { log } = this.d;
    const step = batchStep(pos, first, fetched);
    if (step.kind === 'seek') {
      pos.soughtTo = step.to;
      this.d.control.seek(p, step.to);
      log.warn(
        { partition: p, kafkaAt: fetched, seekTo: step.to },
        'kafka position differs from the sink; seeking',
      );
      return null;
    }
    if (step.note === 'gap') {
      log.warn(
        { partition: p, from: pos.next ?? pos.durable, to: first },
        'offsets no longer in Kafka were skipped',
      );
    } else if (step.note === 'ahead') {
      log.error(
        { partition: p, durable: pos.durable, logAt: first },
        'sink is ahead of the log: offsets below its durable offset are skipped',
      );
    }
    pos.next = step.next;
    return step.next;
  }

  /**
   * After a failure the partition's state is unknown: drop it, wait, and restart it from the durable offset. A dead
   * letter the broker refuses for good halts the partition instead: retrying could never succeed.
   */
  async recoverFrom(p: number, err: unknown): Promise<void> {
    if (this.d.signal.aborted) return;
    this.reset(p);
    if (err instanceof FeedctlError && !err.retriable && err.subsystem === 'runtime.dlq')
      return this.halt(p, err);
    const failures = (this.failures.get(p) ?? 0) + 1;
    this.failures.set(p, failures);
    const delayMs = backoffDelay(failures, { maxDelayMs: this.d.maxRetryDelayMs });
    this.d.progress.retrying(causeText(err));
    this.d.log.error(
      { partition: p, err: causeText(err), ...errorFields(err), delayMs },
      'partition failed; restarting it from its durable offset',
    );
    await new Promise((r) => setTimeout(r, delayMs));
    // Kafka's position is past what the sink dropped: start again (seeking back) even if no batch comes.
    if (this.assignment.has(p) && !this.positions.has(p))
      await this.start(p, (fn) => fn()).catch(() => undefined);
  }

  private halt(p: number, err: FeedctlError): void {
    this.halted.add(p);
    this.d.control.pause(p);
    this.d.progress.halted(p, causeText(err));
    this.d.log.error(
      { partition: p, err: causeText(err) },
      'partition halted: a dead letter cannot be written',
    );
  }

  /** The partition's log start offset as the probe reads it; null when unknown. */
  private async logStart(p: number): Promise<number | null> {
    const offsets = await this.d.logOffsets(this.d.topic).catch(() => []);
    return offsets.find((o) => o.partition === p)?.low ?? null;
  }

  /** A partition went to another member: everything about it is the new owner's now. */
  private revoke(p: number): void {
    this.reset(p);
    this.halted.delete(p);
    this.d.letters.forget(p);
    this.d.commits.forget(p);
  }

  private reset(p: number): void {
    this.d.handler.forget(p);
    this.positions.delete(p);
  }
}
