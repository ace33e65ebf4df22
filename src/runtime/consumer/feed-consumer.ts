/**
 * One feed's consumer for one destination: a kafkajs consumer in the group `feedctl.<feed>.<destination>` (so a
 * MySQL outage never stalls the lake), decoding every message, sending bad ones to the dead-letter topic before
 * their offsets are made durable, and handing the rest to its destination's handler.
 *
 * Exactly once rests on the sinks' durable offsets, not on Kafka's: when a partition is assigned, its position
 * comes from the handler (the lake's commit record, the warehouse's offsets row); messages below it are skipped and
 * the consumer seeks back when Kafka's committed offset ran ahead. Kafka offsets are committed after the sink, for
 * lag and tooling only.
 *
 * Failures: infrastructure failures of idempotent steps (dead-letter sends, warehouse transactions) are retried
 * in place with backoff while the partition is paused and the group heartbeat kept; any other failure resets the
 * partition — its buffer is dropped and it restarts from the durable offset — after a backoff.
 */
import type { Config } from '../../config/config.js';
import type { Consumer, EachBatchPayload, Kafka, Producer } from '../../clients/kafka.js';
import { causeText } from '../../errors.js';
import type { FeedSpec } from '../../feeds/types.js';
import { logger } from '../../log.js';
import { createDecoder, type Decoder, type RawMessage } from '../decode/decoder.js';
import { DeadLetterWriter } from '../dlq/writer.js';
import type { RuntimeMetrics } from '../metrics.js';
import { backoffDelay, retry } from '../retry.js';
import { PartitionGate } from './gate.js';
import type { SinkHandler } from './handler.js';
import { decodeBatch, rawMessage } from './messages.js';
import { ConsumerProgress, type ConsumerStatus } from './progress.js';

/** What a consumer runs: a feed spec at one generation. */
export interface ConsumerTarget {
  feed: FeedSpec;
  generation: number;
  specHash: string;
}

/** Shared by every consumer of a worker. */
export interface ConsumerDeps {
  config: Config;
  kafka: Kafka;
  /** Connected, idempotent producer for dead letters. */
  producer: Producer;
  metrics: RuntimeMetrics;
}

/** Where a partition stands. `next` = -Infinity: nothing durable yet, take whatever Kafka delivers. */
interface Position {
  next: number;
}

const TICK_MS = 1000;

export class FeedConsumer {
  private readonly log;
  private readonly decoder: Decoder;
  private readonly dlq: DeadLetterWriter;
  private readonly gate = new PartitionGate();
  private readonly positions = new Map<number, Position>();
  /** Consecutive failures per partition, for the backoff of recoverFrom. */
  private readonly failures = new Map<number, number>();
  private readonly abort = new AbortController();
  private readonly progress: ConsumerProgress;
  private consumer: Consumer | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: ConsumerDeps,
    readonly target: ConsumerTarget,
    private readonly handler: SinkHandler,
  ) {
    const { feed, generation } = target;
    this.log = logger('runtime.consumer', { feed: feed.name, destination: handler.destination, generation });
    this.decoder = createDecoder(feed, generation);
    this.dlq = new DeadLetterWriter(deps.config, feed, generation, deps.producer);
    this.progress = new ConsumerProgress(feed.name, handler.destination, generation, deps.metrics);
  }

  /**
   * Messages that are not valid records are dead-lettered once per feed, not once per destination: by the lake
   * consumer, or by the warehouse consumer when the lake is off. Rows a sink refuses are its own to dead-letter.
   */
  private get reportsInvalid(): boolean {
    return this.handler.destination === 'lake' || !this.target.feed.destinations.lake.enabled;
  }

  get groupId(): string {
    return `feedctl.${this.target.feed.name}.${this.handler.destination}`;
  }

  /** Waits between retries stay well below the session timeout, so a waiting consumer keeps its partitions. */
  private get maxRetryDelayMs(): number {
    return Math.floor(this.deps.config.kafka.sessionTimeoutMs / 3);
  }

  private get topic(): string {
    return this.target.feed.topic.name;
  }

  status(): ConsumerStatus {
    return this.progress.status();
  }

  async start(): Promise<void> {
    const consumer = this.deps.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: this.deps.config.kafka.sessionTimeoutMs,
      heartbeatInterval: Math.floor(this.deps.config.kafka.sessionTimeoutMs / 10),
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 1024 * 1024,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) =>
      this.onAssignment(e.payload.memberAssignment[this.topic] ?? []),
    );
    consumer.on(consumer.events.CRASH, (e) => {
      // kafkajs restarts the consumer after a retriable crash; only a final one leaves it failed.
      const why = causeText(e.payload.error);
      if (e.payload.restart) this.progress.retrying(why);
      else this.progress.fail(why);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: (payload) => this.gate.run(payload.batch.partition, () => this.onBatch(payload)),
    });
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.progress.set('running');
    this.log.info({ groupId: this.groupId, topic: this.topic }, 'consumer started');
  }

  /**
   * Stops within `deadlineMs`: no new fetches, in-flight batches finish, buffered lake data is flushed and its
   * offsets committed, then the group is left. Whatever the deadline cuts off is simply re-read by the next owner.
   */
  async stop(deadlineMs = 20_000): Promise<void> {
    this.progress.set('stopping');
    clearInterval(this.timer);
    // Ends waits for an unavailable sink at once; work in progress finishes, nothing new starts.
    this.abort.abort(new Error('consumer stopping'));
    const consumer = this.consumer;
    if (!consumer) return;
    this.pauseAll(consumer);
    const drain = async () => {
      await this.gate.idle();
      for (const p of this.handler.due(Number.POSITIVE_INFINITY)) await this.flush(p);
      return 'drained' as const;
    };
    const timeout = new Promise<'timeout'>((r) => setTimeout(r, deadlineMs, 'timeout').unref());
    const outcome = await Promise.race([drain().catch((err: unknown) => causeText(err)), timeout]);
    if (outcome !== 'drained')
      this.log.warn({ deadlineMs, outcome }, 'stopped before every buffer was flushed');
    await consumer
      .disconnect()
      .catch((err: unknown) => this.log.warn({ err: causeText(err) }, 'disconnect failed'));
    this.progress.set('stopped');
    this.log.info({}, 'consumer stopped');
  }

  /** Stops fetching; a consumer that crashed and is restarting has nothing to pause. */
  private pauseAll(consumer: Consumer): void {
    try {
      consumer.pause([{ topic: this.topic }]);
    } catch (err) {
      this.log.debug({ err: causeText(err) }, 'nothing to pause');
    }
  }

  private onAssignment(partitions: number[]): void {
    const keep = new Set(partitions);
    for (const p of [...this.positions.keys()].filter((x) => !keep.has(x))) this.reset(p);
    this.progress.assigned(partitions);
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (this.abort.signal.aborted || payload.isStale()) return;
    const p = batch.partition;
    try {
      const pos = await this.position(p, Number(batch.firstOffset()), payload);
      if (!pos) return;
      const raw = batch.messages.map((m) => rawMessage(p, m)).filter((m) => m.offset >= pos.next);
      const last = raw.at(-1);
      if (!last) return;
      if (Number.isFinite(pos.next) && raw[0] && raw[0].offset > pos.next) {
        this.log.warn(
          { partition: p, from: pos.next, to: raw[0].offset },
          'offsets no longer in Kafka were skipped',
        );
      }
      await this.process(p, raw, last.offset + 1, payload);
      pos.next = last.offset + 1;
      this.failures.delete(p);
      payload.resolveOffset(String(last.offset));
      this.progress.advanced(p, pos.next, Number(batch.highWatermark), raw.length);
      await payload.heartbeat();
    } catch (err) {
      await this.recoverFrom(p, err);
    }
  }

  /** The partition's position; on its first batch after assignment, from the handler's durable offset. */
  private async position(p: number, first: number, payload: EachBatchPayload): Promise<Position | null> {
    const known = this.positions.get(p);
    if (known) return known;
    const durable = await this.retrying(() => this.handler.start(p), payload);
    const pos: Position = { next: durable ?? Number.NEGATIVE_INFINITY };
    this.positions.set(p, pos);
    if (durable === null || durable >= first) return pos;
    this.consumer?.seek({ topic: this.topic, partition: p, offset: String(durable) });
    this.log.info({ partition: p, from: first, to: durable }, 'seeking back to the durable offset');
    return null;
  }

  private async process(
    p: number,
    raw: RawMessage[],
    next: number,
    payload: EachBatchPayload,
  ): Promise<void> {
    const decoded = decodeBatch(this.decoder, this.topic, raw);
    if (decoded.deadLetters.length > 0 && this.reportsInvalid) {
      await this.retrying(() => this.dlq.send(decoded.deadLetters), payload);
      this.progress.deadLettered(decoded.deadLetters.map((d) => d.failure.stage));
    }
    const reject = async (rejected: Parameters<Parameters<SinkHandler['handle']>[3]>[0]) => {
      const letters = rejected.map((r) => ({
        message: decoded.raw.get(r.record.offset) as RawMessage,
        topic: this.topic,
        failure: r.failure,
      }));
      await this.dlq.send(letters);
      this.progress.deadLettered(letters.map((d) => d.failure.stage));
    };
    const idempotent = this.handler.destination === 'warehouse';
    const handle = () => this.handler.handle(p, decoded.records, next, reject);
    const durable = idempotent ? await this.retrying(handle, payload) : await handle();
    if (durable !== null) await this.commit(p, durable);
  }

  /** Retries an idempotent step while it fails for infrastructure reasons, paused and heartbeating. */
  private async retrying<T>(fn: () => Promise<T>, payload: EachBatchPayload): Promise<T> {
    const p = payload.batch.partition;
    let paused = false;
    try {
      return await retry(fn, {
        signal: this.abort.signal,
        maxDelayMs: this.maxRetryDelayMs,
        onRetry: (err, attempt, delayMs) => {
          if (!paused) payload.pause();
          paused = true;
          this.progress.retrying(causeText(err));
          this.log.warn({ partition: p, attempt, delayMs, err: err.message }, 'sink unavailable, retrying');
          void payload.heartbeat().catch(() => undefined);
        },
      });
    } finally {
      if (paused) this.resume(p);
    }
  }

  private resume(p: number): void {
    try {
      this.consumer?.resume([{ topic: this.topic, partitions: [p] }]);
      this.progress.set('running');
    } catch (err) {
      this.log.debug({ partition: p, err: causeText(err) }, 'nothing to resume');
    }
  }

  /** After a failure the partition's state is unknown: drop it, wait, and restart it from the durable offset. */
  private async recoverFrom(p: number, err: unknown): Promise<void> {
    if (this.abort.signal.aborted) return;
    const failures = (this.failures.get(p) ?? 0) + 1;
    this.failures.set(p, failures);
    this.reset(p);
    const delayMs = backoffDelay(failures, { maxDelayMs: this.maxRetryDelayMs });
    this.progress.retrying(causeText(err));
    this.log.error(
      { partition: p, err: causeText(err), delayMs },
      'partition failed; restarting it from its durable offset',
    );
    await new Promise((r) => setTimeout(r, delayMs));
  }

  private reset(p: number): void {
    this.handler.forget(p);
    this.positions.delete(p);
  }

  private async tick(): Promise<void> {
    for (const p of this.handler.due(Date.now())) {
      void this.gate.run(p, () => this.flush(p).catch((err: unknown) => this.recoverFrom(p, err)));
    }
  }

  private async flush(p: number): Promise<void> {
    const durable = await this.handler.flush(p);
    if (durable !== null) await this.commit(p, durable);
  }

  /** Commits to Kafka what the sink made durable (for lag and tooling); a failure here loses nothing. */
  private async commit(p: number, offset: number): Promise<void> {
    this.progress.committed(p, offset);
    await this.consumer
      ?.commitOffsets([{ topic: this.topic, partition: p, offset: String(offset) }])
      .catch((err: unknown) => this.log.debug({ partition: p, err: causeText(err) }, 'kafka commit skipped'));
  }
}
