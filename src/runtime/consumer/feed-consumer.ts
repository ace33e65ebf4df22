/**
 * One feed's consumer for one destination: a kafkajs consumer in the group `<groupPrefix>.<feed>.<destination>` (so a
 * MySQL outage never stalls the lake), decoding every message, sending bad ones to the dead-letter topic before
 * their offsets are made durable, and handing the rest to its destination's handler.
 *
 * One rule: a partition's state (buffer, read position, durable offset) belongs to the code that runs inside the
 * partition's gate — kafkajs' batches and the timed flushes, one at a time — and the sink's durable offset is the
 * truth, Kafka's committed offset a hint. Partitions are started, reset, halted and revoked by partition-states.ts
 * (where they resume: resume.ts). Kafka offsets are committed after the sink, retried when that fails
 * (kafka-commits.ts).
 *
 * Zombies: a timed flush runs outside kafkajs' batch processing, so a rebalance does not wait for it; the sinks
 * fence such late writes (the lake's exclusive commit records, the warehouse's offset fence) and the fenced
 * partition restarts from the durable offset.
 *
 * Failures: infrastructure failures of idempotent steps (dead-letter sends, warehouse transactions) are retried in
 * place with backoff while the partition is paused and the group heartbeat kept (partition-control.ts); any other
 * failure resets or halts the partition (partition-states.ts).
 */
import type { Config } from '../../config/config.js';
import {
  fetchedOffset,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from '../../clients/kafka.js';
import { consumerGroupId } from '../../config/consumer-groups.js';
import { causeText, FeedctlError } from '../../errors.js';
import type { Destination, FeedSpec } from '../../feeds/types.js';
import { logger } from '../../log.js';
import { createDecoder, type Decoder } from '../decode/decoder.js';
import { DeadLetterWriter } from '../dlq/writer.js';
import type { RuntimeMetrics } from '../metrics.js';
import { settleWithin } from '../retry.js';
import { PartitionGate } from './gate.js';
import type { RejectSink, SinkHandler } from './handler.js';
import { KafkaCommits } from './kafka-commits.js';
import { PartitionControl } from './partition-control.js';
import { PartitionStates } from './partition-states.js';
import { decodeBatch, fromOffset, invalidLetters, rawMessage, rejectedLetters } from './messages.js';
import { ConsumerProgress, type ConsumerStatus, type LogOffsets } from './progress.js';
import { DeadLetters } from './sent-letters.js';
import { consumerSettings, PARTITIONS_AT_ONCE, type FetchLimits } from './settings.js';

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
  /** The log start and end offsets of a topic's partitions (the worker's probe). */
  logOffsets(topic: string): Promise<LogOffsets[]>;
  /** This consumer's share of the process's fetch window (default: kafkajs's own limits). */
  fetch?: FetchLimits;
}

const TICK_MS = 1000;

export class FeedConsumer {
  /** The fields every log line about this consumer carries (its sinks and dead-letter writer bind the same). */
  readonly scope: { feed: string; destination: Destination; generation: number };
  private readonly log;
  private readonly decoder: Decoder;
  private readonly gate = new PartitionGate();
  private readonly abort = new AbortController();
  private readonly progress: ConsumerProgress;
  private readonly commits: KafkaCommits;
  private readonly letters: DeadLetters;
  private readonly control: PartitionControl;
  private readonly partitions: PartitionStates;
  private consumer: Consumer | undefined;
  /** Since when the consumer has been joining its group (start or rebalance); null once joined. */
  private joiningSince: number | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: ConsumerDeps,
    readonly target: ConsumerTarget,
    private readonly handler: SinkHandler,
  ) {
    const { feed, generation } = target;
    this.scope = { feed: feed.name, destination: handler.destination, generation };
    this.log = logger('runtime.consumer', this.scope);
    this.decoder = createDecoder(feed, generation);
    // A partition holding records until its idle flush is not stalled: the threshold is at least twice that.
    const stallMs = Math.max(deps.config.runtime.stallSeconds * 1000, handler.holdsMs * 2);
    this.progress = new ConsumerProgress(
      feed.name,
      feed.topic.name,
      handler.destination,
      generation,
      deps.metrics,
      stallMs,
    );
    this.commits = new KafkaCommits(feed.topic.name, this.log);
    this.control = new PartitionControl(feed.topic.name, this.log);
    const writer = new DeadLetterWriter(deps.config, feed, generation, deps.producer, handler.destination);
    this.letters = new DeadLetters(writer, (letters) => this.progress.deadLettered(letters));
    handler.connect?.({
      invalid: (invalid) => this.letters.send(invalidLetters(this.topic, invalid), (fn) => fn()),
      durable: (p, offset) => this.madeDurable(p, offset),
      wrote: (file) => this.progress.wrote(file),
    });
    this.partitions = this.partitionStates();
  }

  /** The partitions' lifecycle, sharing this consumer's parts (constructed last). */
  private partitionStates(): PartitionStates {
    return new PartitionStates({
      topic: this.topic,
      handler: this.handler,
      gate: this.gate,
      control: this.control,
      commits: this.commits,
      letters: this.letters,
      progress: this.progress,
      log: this.log,
      signal: this.abort.signal,
      maxRetryDelayMs: this.maxRetryDelayMs,
      consumer: () => this.consumer,
      logOffsets: (topic) => this.deps.logOffsets(topic),
    });
  }

  get groupId(): string {
    return consumerGroupId(this.deps.config, this.target.feed.name, this.handler.destination);
  }

  /** Waits between retries stay well below the session timeout, so a waiting consumer keeps its partitions. */
  private get maxRetryDelayMs(): number {
    return Math.floor(this.deps.config.kafka.sessionTimeoutMs / 3);
  }

  get topic(): string {
    return this.target.feed.topic.name;
  }

  status(): ConsumerStatus {
    return this.progress.status();
  }

  /** The worker's probe read the topic's log offsets: recompute lag and stalls. */
  observe(offsets: LogOffsets[]): void {
    for (const p of this.progress.observed(offsets)) {
      this.log.warn({ partition: p }, 'partition stalled: lag without durable progress');
    }
  }

  async start(): Promise<void> {
    const consumer = this.deps.kafka.consumer(
      consumerSettings(this.deps.config, this.groupId, this.deps.fetch, this.scope.destination === 'lake'),
    );
    this.consumer = consumer;
    this.control.consumer = consumer;
    this.joiningSince = Date.now();
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.joiningSince = null;
      this.partitions.assign(e.payload.memberAssignment[this.topic] ?? []);
    });
    consumer.on(consumer.events.REBALANCING, () => (this.joiningSince ??= Date.now()));
    consumer.on(consumer.events.CRASH, (e) => {
      // Never restarted by kafkajs (restartOnFailure above): the worker restarts failed consumers.
      this.progress.fail(causeText(e.payload.error));
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
      eachBatch: (payload) => this.gate.run(payload.batch.partition, () => this.onBatch(payload)),
    });
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.progress.set('running');
    this.log.info({ groupId: this.groupId, topic: this.topic }, 'consumer started');
  }

  /**
   * Stops within `deadlineMs`, leaving the group included: no new fetches, in-flight batches finish, buffered lake
   * data is flushed and its offsets committed. Whatever the deadline cuts off is re-read by the next owner.
   */
  async stop(deadlineMs = 20_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    this.progress.set('stopping');
    clearInterval(this.timer);
    // Ends waits for an unavailable sink at once; work in progress finishes, nothing new starts.
    this.abort.abort(
      new FeedctlError('INTERNAL', 'consumer stopping', { subsystem: 'runtime', action: 'stop' }),
    );
    const consumer = this.consumer;
    if (!consumer) return this.handler.close();
    this.control.pause();
    const drain = async () => {
      await this.gate.idle();
      await this.handler.idle?.();
      for (const p of this.handler.due(Number.POSITIVE_INFINITY)) await this.flush(p);
    };
    const drained = await settleWithin(drain(), deadline);
    if (drained !== 'done')
      this.log.warn({ deadlineMs, outcome: drained }, 'stopped before every buffer was flushed');
    const left = await settleWithin(consumer.disconnect(), deadline + 2000);
    if (left !== 'done') this.log.warn({ outcome: left }, 'consumer did not leave its group cleanly');
    this.handler.close();
    this.progress.set('stopped');
    this.log.info({}, 'consumer stopped');
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const p = batch.partition;
    if (this.abort.signal.aborted || payload.isStale() || this.partitions.isHalted(p)) return;
    try {
      const first = Number(batch.messages[0]?.offset ?? batch.firstOffset());
      const pos =
        this.partitions.position(p) ??
        (await this.partitions.start(p, (fn) => this.retrying(fn, payload), first));
      if (payload.isStale()) return; // the start sought: this batch comes from the old position
      const next = this.partitions.positionFor(p, pos, first, fetchedOffset(batch));
      if (next === null) return;
      const fetched = fromOffset(batch.messages, next);
      const last = fetched.at(-1);
      const end = last ? Number(last.offset) + 1 : null;
      if (end !== null) await this.process(p, fetched, end, payload);
      if (end !== null) pos.next = end;
      this.partitions.succeeded(p);
      payload.resolveOffset(last ? last.offset : batch.lastOffset());
      this.progress.advanced(fetched.length);
      await payload.heartbeat();
    } catch (err) {
      await this.partitions.recoverFrom(p, err);
    }
  }

  /** Decodes the batch (or lets a handler that decodes off the main thread do it) and hands it to the sink. */
  private async process(p: number, fetched: KafkaMessage[], next: number, payload: EachBatchPayload) {
    const durable = this.handler.handleRaw
      ? await this.handler.handleRaw(p, fetched, next)
      : await this.decodeAndHandle(p, fetched, next, payload);
    if (durable !== null) await this.madeDurable(p, durable);
  }

  private async decodeAndHandle(p: number, fetched: KafkaMessage[], next: number, payload: EachBatchPayload) {
    const raw = fetched.map((m) => rawMessage(p, m));
    const decoded = decodeBatch(this.decoder, this.topic, raw);
    if (this.handler.reportsInvalid)
      await this.letters.send(decoded.deadLetters, (fn) => this.retrying(fn, payload));
    const reject: RejectSink = (rejected) =>
      this.letters.send(rejectedLetters(decoded, this.topic, rejected), (fn) => fn());
    const handle = () => this.handler.handle(p, decoded.records, next, reject);
    return this.handler.idempotent ? this.retrying(handle, payload) : handle();
  }

  private retrying<T>(fn: () => Promise<T>, payload: EachBatchPayload): Promise<T> {
    return this.control.retrying(fn, payload, {
      signal: this.abort.signal,
      maxDelayMs: this.maxRetryDelayMs,
      onRetry: (error) => this.progress.retrying(error),
      onResume: () => this.progress.set('running'),
    });
  }

  private async tick(): Promise<void> {
    this.checkJoin();
    for (const p of this.handler.due(Date.now())) {
      void this.gate.run(p, () => this.flush(p).catch((err: unknown) => this.partitions.recoverFrom(p, err)));
    }
    this.partitions.startIdle();
    await this.commits.retry(this.consumer);
  }

  /**
   * A Kafka client that never completes its group join (seen after broker restarts) holds no partition and never
   * crashes: past the limit it is declared failed, and the worker restarts it afresh.
   */
  private checkJoin(): void {
    const limitMs = Math.max(60_000, 3 * this.deps.config.kafka.sessionTimeoutMs);
    if (this.joiningSince === null || Date.now() - this.joiningSince < limitMs) return;
    this.joiningSince = null;
    this.log.warn({ limitMs }, 'consumer did not join its group in time');
    this.progress.fail(`did not join its consumer group within ${limitMs / 1000} s`);
  }

  private async flush(p: number): Promise<void> {
    if (!this.partitions.isStarted(p)) return; // reset or revoked since it was due
    const durable = await this.handler.flush(p);
    if (durable !== null) await this.madeDurable(p, durable);
  }

  private async madeDurable(p: number, offset: number): Promise<void> {
    this.progress.durable(p, offset);
    this.letters.prune(p, offset);
    await this.commits.commit(this.consumer, p, offset);
  }
}
