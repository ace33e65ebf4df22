/**
 * Where the status pages get their data: the status model, read at most once per `maxAgeMs` however many browsers
 * poll (one read at a time, in the background once there is a model to show), and a feed's detail on demand. Reads MySQL through a small
 * pool and Kafka through one admin client; lag is recomputed from the log end as `feedctl status` does (offsets
 * are read once per topic per refresh), and falls back to the workers' reported lag when Kafka does not answer.
 */
import type { Config } from '../config/config.js';
import { createKafka, topicLogOffsets, type Admin } from '../clients/kafka.js';
import { createMysqlPool, type Pool } from '../clients/mysql.js';
import { causeText } from '../errors.js';
import { logger } from '../log.js';
import { readFeedDetail } from '../status/detail.js';
import type { FeedDetail, StatusModel } from '../status/model.js';
import { readStatusModel, type LogOffsetsOf } from '../status/read.js';

/** What the routes need: the model (cached) and a feed's detail. */
export interface StatusSource {
  model(): Promise<StatusModel>;
  detail(name: string): Promise<FeedDetail | null>;
  close(): Promise<void>;
}

const log = logger('web');

/** The status source of a long-running process, on its own MySQL pool and Kafka admin client. */
export function statusSource(config: Config, maxAgeMs = 2000): StatusSource {
  const pool = createMysqlPool(config, 2);
  const kafka = new LazyAdmin(config);
  return new CachedSource(pool, kafka, maxAgeMs);
}

class CachedSource implements StatusSource {
  private cached: { at: number; model: StatusModel } | null = null;
  private reading: Promise<StatusModel> | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly kafka: LazyAdmin,
    private readonly maxAgeMs: number,
  ) {}

  /**
   * The model as last read: at once when it is younger than `maxAgeMs`; when older, at once too while a fresh one is
   * read in the background (a page never waits for MySQL and Kafka, except the first after start).
   */
  async model(): Promise<StatusModel> {
    const cached = this.cached;
    if (cached && Date.now() - cached.at < this.maxAgeMs) return cached.model;
    const reading = (this.reading ??= this.read().finally(() => (this.reading = null)));
    if (!cached) return reading;
    reading.catch((err: unknown) => log.warn({ err: causeText(err) }, 'status not refreshed'));
    return cached.model;
  }

  async detail(name: string): Promise<FeedDetail | null> {
    const model = await this.model();
    return readFeedDetail(this.pool, model, name, (topic) => this.kafka.topicSize(topic));
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.kafka.close()]);
  }

  private async read(): Promise<StatusModel> {
    const model = await readStatusModel(this.pool, this.kafka.offsetsOnce());
    this.cached = { at: Date.now(), model };
    return model;
  }
}

/** One admin client, connected on first use and again after a failure. */
class LazyAdmin {
  private admin: Promise<Admin> | null = null;

  constructor(private readonly config: Config) {}

  /** Log offsets per topic, each topic read once for this refresh. */
  offsetsOnce(): LogOffsetsOf {
    const seen = new Map<string, ReturnType<LogOffsetsOf>>();
    return (topic) => {
      let offsets = seen.get(topic);
      if (!offsets) {
        offsets = this.connected().then((a) => topicLogOffsets(a, topic));
        offsets.catch((err: unknown) => this.failed(err));
        seen.set(topic, offsets);
      }
      return offsets;
    };
  }

  async topicSize(topic: string): Promise<number | null> {
    try {
      const offsets = await topicLogOffsets(await this.connected(), topic);
      return offsets.reduce((n, o) => n + Math.max(0, o.high - o.low), 0);
    } catch (err) {
      this.failed(err);
      return null;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    if (admin) await (await admin.catch(() => null))?.disconnect();
  }

  private connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = createKafka(this.config, { retries: 0, quiet: true }).admin();
      await admin.connect();
      return admin;
    })();
    return this.admin;
  }

  private failed(err: unknown): void {
    log.debug({ err: causeText(err) }, 'kafka offsets unavailable: reported lag shown');
    void this.close();
  }
}
