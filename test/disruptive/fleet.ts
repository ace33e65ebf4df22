/**
 * What the fault tests share: `feedctl run` worker processes (stderr kept in the lake folder), a producer that keeps
 * sending while faults happen (retrying through broker outages: a retried batch may land twice in Kafka, at new
 * offsets, which is fine — the invariant is about offsets), and the invariant itself: every offset of the topic
 * exactly once in the lake and the warehouse, and `feedctl status` showing lag 0 over every partition only then.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { createProducer, withAdmin } from '../../src/clients/kafka.js';
import type { ConsumerView, StatusView } from '../../src/control/status.js';
import type { FeedctlHarness } from '../helpers/cli.js';
import type { TestEnv } from '../helpers/env.js';
import { lakeCounts, tableCounts, waitUntil, type TestMessage } from '../helpers/runtime.js';
import { exited, healthUrl, spawnWorker } from '../helpers/workers.js';

export const SESSION_TIMEOUT_MS = 6000;

export class Fleet {
  private readonly children = new Map<string, ChildProcess>();
  /** Each worker's log name (`<name>-<n>`), by name. */
  private readonly logNames = new Map<string, string>();
  private n = 0;

  constructor(
    private readonly env: TestEnv,
    private readonly fc: FeedctlHarness,
  ) {}

  start(name: string): ChildProcess {
    const logName = `${name}-${++this.n}`;
    const child = spawnWorker(this.env, this.fc, logName, {
      FEEDCTL_KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
    });
    this.children.set(name, child);
    this.logNames.set(name, logName);
    return child;
  }

  /** The URL of the health server of worker `name` (each serves on a free port). */
  healthUrl(name: string): Promise<string> {
    const logName = this.logNames.get(name);
    if (!logName) throw new Error(`no worker ${name}`);
    return healthUrl(this.env, logName);
  }

  /** Every worker's stderr so far. */
  logs(): string {
    const root = this.env.config.lake.root;
    return readdirSync(root)
      .filter((f) => f.startsWith('worker-') && f.endsWith('.log'))
      .map((f) => readFileSync(path.join(root, f), 'utf8'))
      .join('');
  }

  get(name: string): ChildProcess {
    const c = this.children.get(name);
    if (!c) throw new Error(`no worker ${name}`);
    return c;
  }

  /** Kills and waits for a worker; with SIGTERM it must exit 0. */
  async stop(name: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = this.get(name);
    const done = exited(child);
    child.kill(signal);
    const end = await done;
    if (signal === 'SIGTERM') expect(end).toEqual({ code: 0, signal: null });
    this.children.delete(name);
  }

  /** Ends every worker still running (a stopped one is continued first). */
  async killAll(): Promise<void> {
    for (const child of this.children.values()) {
      child.kill('SIGCONT');
      const done = exited(child);
      child.kill('SIGKILL');
      await done;
    }
    this.children.clear();
  }
}

/**
 * Sends batches of `make(i)` messages until stopped. A batch that fails (brokers come and go) is not sent again:
 * the next attempt makes new messages, so a batch the broker took although the send failed never repeats a key
 * (the warehouse upserts by key, so repeated keys would make fewer rows than offsets).
 */
export class SteadyProducer {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  /** Messages made so far (acknowledged or not). */
  made = 0;
  /** Messages the broker acknowledged. */
  sent = 0;

  constructor(
    private readonly env: TestEnv,
    private readonly topic: string,
    private readonly make: (i: number) => TestMessage,
    private readonly batch = 200,
    private readonly everyMs = 250,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    // Quiet: the broker going away is the point of these tests, not an error to print.
    let producer = createProducer(this.env.config, { idempotent: true, quiet: true });
    while (this.running) {
      const messages = Array.from({ length: this.batch }, (_, i) => this.make(this.made + i));
      this.made += messages.length;
      try {
        await producer.connect();
        await producer.send({ topic: this.topic, acks: -1, messages });
        this.sent += messages.length;
      } catch {
        await producer.disconnect().catch(() => undefined);
        producer = createProducer(this.env.config, { idempotent: true, quiet: true });
      }
      await new Promise((r) => setTimeout(r, this.everyMs));
    }
    await producer.disconnect().catch(() => undefined);
  }
}

/** Messages in the topic: the sum over partitions of log end − log start. */
export async function offsetsInTopic(env: TestEnv, topic: string): Promise<number> {
  const offsets = await withAdmin(env.config, (a) => a.fetchTopicOffsets(topic));
  return offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
}

async function consumers(fc: FeedctlHarness): Promise<ConsumerView[]> {
  const r = await fc.cli('status', '-o', 'json');
  return r.code === 0 ? (JSON.parse(r.stdout) as StatusView).consumers : [];
}

/**
 * The invariant, with the producer stopped: the sinks reach every offset of the topic, each exactly once; and
 * whenever status shows lag 0 over every partition for both consumers, the sinks do hold every offset.
 */
export async function expectInvariant(
  env: TestEnv,
  fc: FeedctlHarness,
  fleet: Fleet,
  feed: string,
  topic: string,
  partitions: number,
  label: string,
): Promise<number> {
  const total = await offsetsInTopic(env, topic);
  const counts = async () => ({
    lake: await lakeCounts(env.config.lake.root, feed),
    table: await tableCounts(env.config, `fact_${feed}`),
  });
  let views: ConsumerView[] = [];
  await waitUntil(
    `${label}: status lag 0 on ${partitions} partitions for both consumers`,
    async () => {
      views = await consumers(fc);
      const caughtUp =
        views.length === 2 && views.every((v) => v.lag === 0 && v.partitions.length === partitions);
      if (!caughtUp) return false;
      const c = await counts();
      expect(c, `${label}: status said lag 0, so the sinks must hold all ${total} offsets`).toEqual({
        lake: { rows: total, distinct: total },
        table: { rows: total, distinct: total },
      });
      return true;
    },
    180_000,
    1000,
  ).catch(async (err: unknown) => {
    // What a post-mortem needs: the last status, the sinks, and what the workers said last.
    const detail = { total, counts: await counts(), status: views };
    throw new Error(`${String(err)}\n${JSON.stringify(detail, null, 1)}\n${fleet.logs().slice(-6000)}`);
  });
  return total;
}
