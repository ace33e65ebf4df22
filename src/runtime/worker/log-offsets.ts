/**
 * The worker's view of its topics' log offsets (start and end per partition), read with one admin client: consumers
 * ask for the log start when a sink holds nothing yet, and the probe feeds every consumer's lag and stall
 * detection on each heartbeat. Reads are cached for a second, so a burst of partition starts costs one request.
 */
import { topicLogOffsets, type Admin, type Kafka } from '../../clients/kafka.js';
import { causeText, FeedctlError } from '../../errors.js';
import { logger } from '../../log.js';
import type { LogOffsets } from '../consumer/progress.js';

const CACHE_MS = 1000;

const log = logger('runtime.offsets');

/** A consumer the probe feeds: its topic (one feed's), and its feed for the log lines. */
interface ProbedConsumer {
  topic: string;
  scope: { feed: string };
  observe(offsets: LogOffsets[]): void;
}

export class LogOffsetReader {
  private admin: Admin | undefined;
  private readonly cache = new Map<string, { at: number; offsets: Promise<LogOffsets[]> }>();

  constructor(private readonly kafka: Kafka) {}

  /** Start and end offsets of every partition of `topic`. */
  async read(topic: string): Promise<LogOffsets[]> {
    const hit = this.cache.get(topic);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.offsets;
    const offsets = this.fetch(topic);
    this.cache.set(topic, { at: Date.now(), offsets });
    offsets.catch(() => this.cache.delete(topic));
    return offsets;
  }

  /** Feeds each consumer the offsets of its topic; a topic that cannot be read leaves its consumers as they were. */
  async probe(consumers: ProbedConsumer[]): Promise<void> {
    const topics = [...new Set(consumers.map((c) => c.topic))];
    const read = await Promise.all(
      topics.map((t) =>
        this.read(t).catch((err: unknown) => {
          const feed = consumers.find((c) => c.topic === t)?.scope.feed;
          log.warn({ feed, topic: t, err: causeText(err) }, 'cannot read log offsets; lag not updated');
          return null;
        }),
      ),
    );
    const byTopic = new Map(topics.map((t, i) => [t, read[i]]));
    for (const c of consumers) {
      const offsets = byTopic.get(c.topic);
      if (offsets) c.observe(offsets);
    }
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }

  private async fetch(topic: string): Promise<LogOffsets[]> {
    try {
      if (!this.admin) {
        const admin = this.kafka.admin();
        await admin.connect();
        this.admin = admin;
      }
      return await topicLogOffsets(this.admin, topic);
    } catch (err) {
      throw new FeedctlError('KAFKA_REQUEST_FAILED', causeText(err), {
        subsystem: 'runtime.offsets',
        action: 'read log offsets',
        id: topic,
        retriable: true,
        cause: err,
      });
    }
  }
}
