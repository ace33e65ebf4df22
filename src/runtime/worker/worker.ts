/**
 * A `feedctl run` worker: converges its consumers to feedctl_consumers every few seconds — starts new ones,
 * restarts exactly those whose generation changed, stops removed ones, leaves the others alone — and heartbeats
 * what it runs into feedctl_workers. Several workers share a feed's partitions through Kafka consumer groups.
 * When MySQL is unreachable the worker keeps running what it has (the lake keeps going) and retries.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../../config/config.js';
import { createKafka, createProducer, type Kafka, type Producer } from '../../clients/kafka.js';
import { createMysqlPool, type Pool } from '../../clients/mysql.js';
import { causeText } from '../../errors.js';
import { logger } from '../../log.js';
import { BufferBudget } from '../consumer/budget.js';
import { fetchLimits } from '../consumer/settings.js';
import { lanePool } from '../lake/lanes.js';
import { openStore } from '../lake/open-store.js';
import type { LakeStore } from '../lake/store.js';
import { memoryPlan, type MemoryPlan } from '../memory.js';
import type { ThreadPool } from '../threads/pool.js';
import { FeedConsumer } from '../consumer/feed-consumer.js';
import type { Destination } from '../../feeds/types.js';
import { RuntimeMetrics } from '../metrics.js';
import { RetentionSchedule } from '../retention/schedule.js';
import { backoffDelay } from '../retry.js';
import { consumerFor, unsupported } from './build.js';
import { LogOffsetReader } from './log-offsets.js';
import { loadPathStatus } from '../warehouse/load-path.js';
import { beat, HEARTBEAT_SECONDS, type WorkerIdentity, type WorkerReport } from './heartbeat.js';
import { readTargets, type DesiredConsumer } from './targets.js';

export interface WorkerOptions {
  config: Config;
  destinations: Destination[];
  /** How often to read feedctl_consumers (default 2 s): a reconcile takes effect within about this. */
  pollMs?: number;
  metrics?: RuntimeMetrics;
}

/** A consumer that could not start, and when to try again. */
interface StartFailure {
  attempts: number;
  retryAt: number;
  error: string;
}

const log = logger('runtime.worker');

/** Crashes of one consumer closer together than this make its restart backoff grow. */
const CRASH_MEMORY_MS = 5 * 60_000;

export class Worker {
  readonly identity: WorkerIdentity;
  readonly metrics: RuntimeMetrics;
  /** How often the worker converges (reads feedctl_consumers). */
  readonly pollMs: number;
  private readonly running = new Map<string, FeedConsumer>();
  private readonly failed = new Map<string, StartFailure>();
  private readonly crashes = new Map<string, { attempts: number; at: number }>();
  private skipped: WorkerReport['skipped'] = [];
  private pool: Pool | undefined;
  private kafka: Kafka | undefined;
  private producer: Producer | undefined;
  private producerUp = false;
  private offsets: LogOffsetReader | undefined;
  private readonly budget: BufferBudget;
  /** The lane threads of the stream feeds' lake sinks (none with `runtime.threads: 0`). */
  readonly threads: ThreadPool | undefined;
  private readonly plan: MemoryPlan;
  /** Consumers the last convergence wanted running: they share the fetch window. */
  private wanted = 1;
  /** The lake's storage (a folder or an object store), shared by every lake sink of this worker. */
  private readonly store: LakeStore;
  private timers: NodeJS.Timeout[] = [];
  private retention: RetentionSchedule | undefined;
  private converging: Promise<void> = Promise.resolve();
  private tickedAt: number | undefined;
  private stopped = false;

  constructor(private readonly opts: WorkerOptions) {
    this.metrics = opts.metrics ?? new RuntimeMetrics();
    this.pollMs = opts.pollMs ?? 2000;
    const { runtime } = opts.config;
    this.budget = new BufferBudget(runtime.bufferBudgetMb * 1024 * 1024);
    this.plan = memoryPlan(runtime.memoryBudgetMb, runtime.threads);
    this.threads = lanePool(this.plan);
    this.store = openStore(opts.config.lake);
    this.identity = {
      instanceId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.slice(0, 64),
      host: hostname(),
      pid: process.pid,
      destinations: opts.destinations.length === 2 ? 'all' : opts.destinations.join(','),
    };
  }

  /** Connects, converges once, then keeps converging and heartbeating until stop(). */
  async start(): Promise<void> {
    const { config } = this.opts;
    this.pool = createMysqlPool(config, 8);
    this.kafka = createKafka(config, { clientId: `feedctl-worker-${this.identity.instanceId}` });
    this.offsets = new LogOffsetReader(this.kafka);
    this.producer = createProducer(config, { idempotent: true });
    this.producer.on(this.producer.events.CONNECT, () => (this.producerUp = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.producerUp = false));
    await this.connectProducer();
    if (this.opts.destinations.includes('lake')) await this.store.selfCheck();
    log.info({ ...this.identity }, 'worker started');
    await this.tick();
    this.retention = new RetentionSchedule(config, this.pool, this.metrics);
    this.retention.start();
    this.timers = [
      setInterval(() => void this.tick(), this.pollMs),
      setInterval(() => void this.heartbeat(), HEARTBEAT_SECONDS * 1000),
    ];
  }

  /**
   * When the converge loop last completed a round (ms since the epoch; undefined before the first): a round that
   * failed (MySQL unreachable) counts, one still running does not — the liveness of the worker.
   */
  get lastTickAt(): number | undefined {
    return this.tickedAt;
  }

  /** The report a heartbeat stores. */
  report(): WorkerReport {
    return {
      consumers: [...this.running.values()].map((c) => c.status()),
      skipped: [...this.skipped],
      warehouseLoadPath: loadPathStatus(),
    };
  }

  /** Stops every consumer (each flushes and commits within the deadline), then says goodbye in the heartbeat. */
  async stop(deadlineMs = 20_000): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    const retention = this.retention?.stop();
    await this.converging;
    const stopping = [...this.running.values()].map((c) =>
      c.stop(deadlineMs).catch((err: unknown) => {
        log.warn({ ...c.scope, err: causeText(err) }, 'a consumer did not stop cleanly');
      }),
    );
    await Promise.all(stopping);
    await this.heartbeat(true);
    await retention;
    this.running.clear();
    await this.producer?.disconnect().catch(() => undefined);
    await this.offsets?.close();
    await this.threads?.close();
    await this.pool?.end().catch(() => undefined);
    log.info({ instanceId: this.identity.instanceId }, 'worker stopped');
  }

  private tick(): Promise<void> {
    if (this.stopped) return this.converging;
    this.converging = this.converging
      .then(() => this.converge())
      .catch((err: unknown) => {
        log.warn({ err: causeText(err) }, 'cannot read the consumers to run; keeping the current ones');
      })
      .finally(() => (this.tickedAt = Date.now()));
    return this.converging;
  }

  /**
   * The dead-letter producer connects on start and again whenever it is down (the broker away at start-up or
   * restarted): a worker never dies for an unreachable broker, its consumers wait and retry meanwhile.
   */
  private async connectProducer(): Promise<void> {
    if (this.producerUp || !this.producer) return;
    await this.producer.connect().catch((err: unknown) => {
      log.warn({ err: causeText(err) }, 'dead-letter producer cannot connect; retrying');
    });
  }

  private async converge(): Promise<void> {
    await this.connectProducer();
    const runnable: DesiredConsumer[] = [];
    this.skipped = [];
    for (const d of await readTargets(this.pool as Pool, this.opts.destinations)) {
      const reason = unsupported(d);
      if (reason === null) runnable.push(d);
      else this.skipped.push({ key: d.key, reason });
    }
    const wanted = new Map(runnable.map((d) => [d.key, d]));
    this.wanted = Math.max(1, runnable.length);
    const stale = [...this.running].filter(
      ([k, c]) => wanted.get(k)?.target.generation !== c.target.generation,
    );
    await Promise.all(stale.map(([k, c]) => this.stopConsumer(k, c)));
    await Promise.all(
      [...this.running]
        .filter(([, c]) => c.status().state === 'failed')
        .map(([k, c]) => this.restartFailed(k, c)),
    );
    for (const d of runnable) if (!this.running.has(d.key)) await this.startConsumer(d);
    this.metrics.consumers.set(this.running.size);
  }

  /**
   * The consumer crashed (its Kafka client stopped, e.g. the broker was gone past the client's retries): stop it
   * and start a fresh one — its sinks say where each partition resumes — after a backoff that grows while it keeps
   * crashing (crashes more than CRASH_MEMORY_MS apart start over). Status shows it meanwhile.
   */
  private async restartFailed(key: string, c: FeedConsumer): Promise<void> {
    const { lastError, destination } = c.status();
    const previous = this.crashes.get(key);
    const attempts = previous && Date.now() - previous.at < CRASH_MEMORY_MS ? previous.attempts + 1 : 1;
    this.crashes.set(key, { attempts, at: Date.now() });
    log.warn({ key, ...c.scope, err: lastError, attempts }, 'consumer failed; restarting it');
    this.metrics.restarts.inc({ feed: c.target.feed.name, destination });
    await this.stopConsumer(key, c);
    this.retryLater(key, attempts, `restarting after: ${lastError ?? 'crash'}`, 30_000);
  }

  /** The consumer starts again (startConsumer) once a backoff for its `attempts` has passed. */
  private retryLater(key: string, attempts: number, error: string, maxDelayMs: number): void {
    const retryAt = Date.now() + backoffDelay(attempts, { initialDelayMs: 1000, maxDelayMs });
    this.failed.set(key, { attempts, retryAt, error });
  }

  private async stopConsumer(key: string, c: FeedConsumer): Promise<void> {
    log.info({ key, ...c.scope }, 'stopping consumer');
    this.running.delete(key);
    await c.stop();
  }

  private async startConsumer(d: DesiredConsumer): Promise<void> {
    const failure = this.failed.get(d.key);
    if (failure && Date.now() < failure.retryAt) return;
    const offsets = this.offsets as LogOffsetReader;
    const c = consumerFor(d, {
      config: this.opts.config,
      kafka: this.kafka as Kafka,
      producer: this.producer as Producer,
      metrics: this.metrics,
      pool: this.pool as Pool,
      budget: this.budget,
      lanes: this.threads,
      store: this.store,
      fetch: fetchLimits(this.plan.fetchWindowBytes, this.wanted, d.target.feed.topic.partitions),
      logOffsets: (topic) => offsets.read(topic),
    });
    try {
      await c.start();
      this.running.set(d.key, c);
      this.failed.delete(d.key);
    } catch (err) {
      const attempts = (failure?.attempts ?? 0) + 1;
      this.retryLater(d.key, attempts, causeText(err), 60_000);
      log.error(
        { key: d.key, ...c.scope, attempts, err: causeText(err) },
        'consumer could not start; will retry',
      );
      await c.stop(1000).catch(() => undefined);
    }
  }

  private async heartbeat(stopped = false): Promise<void> {
    if (!this.pool) return;
    if (!stopped) await this.offsets?.probe([...this.running.values()]);
    const report = this.report();
    for (const [key, f] of this.failed) report.skipped.push({ key, reason: `cannot start: ${f.error}` });
    await beat(this.pool, this.identity, report, stopped).then(
      () => this.metrics.heartbeat.set(Date.now() / 1000),
      (err: unknown) => log.warn({ err: causeText(err) }, 'heartbeat failed'),
    );
  }
}
