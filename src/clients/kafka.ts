/**
 * Our thin layer over kafkajs (2.2.4, unmaintained): the rest of feedctl imports Kafka only from here, so the
 * client can be replaced in one place. kafkajs' own logs are routed to pino; its errors become FeedctlErrors; its
 * fetched record batches are decoded by kafka-records.ts.
 */
import { Kafka, logLevel, type Admin, type EachBatchPayload, type KafkaConfig, type Producer } from 'kafkajs';
import type { Config } from '../config/config.js';
import { FeedctlError, causeText } from '../errors.js';
import { pinoLogCreator } from './kafka-log.js';
import { registerCompressionCodecs } from './compression.js';
import { useRecordDecoder } from './kafka-records.js';

export type {
  Admin,
  Consumer,
  ConsumerConfig,
  Producer,
  IHeaders,
  Kafka,
  KafkaMessage,
  EachBatchPayload,
} from 'kafkajs';

/** Start and end offsets of every partition of a topic, as numbers. */
export async function topicLogOffsets(
  admin: Admin,
  topic: string,
): Promise<Array<{ partition: number; low: number; high: number }>> {
  const rows = await admin.fetchTopicOffsets(topic);
  return rows.map((r) => ({ partition: r.partition, low: Number(r.low), high: Number(r.high) }));
}

/** The offset a batch was fetched from (kafkajs keeps it on the batch but does not type it). */
export function fetchedOffset(batch: EachBatchPayload['batch']): number {
  return Number((batch as unknown as { fetchedOffset: string }).fetchedOffset);
}
/** kafkajs' resource type for topics in describeConfigs/alterConfigs (ConfigResourceTypes.TOPIC). */
export const TOPIC_RESOURCE = 2;
/** kafkajs' config source of a topic-level override (ConfigSource.TOPIC_CONFIG). */
export const TOPIC_CONFIG_SOURCE = 1;

/** One config of a described topic, as kafkajs reports it. */
export interface ConfigEntry {
  configName: string;
  configValue: string;
  configSource: number;
}

/** A topic as the broker describes it: partitions, replication factor and every config entry. */
export interface DescribedTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  entries: ConfigEntry[];
}

/** The topics among `names` that exist, described in three requests whatever their number. Read-only. */
export async function describeTopics(admin: Admin, names: Iterable<string>): Promise<DescribedTopic[]> {
  const wanted = new Set(names);
  const existing = (await admin.listTopics()).filter((t) => wanted.has(t)).sort();
  if (existing.length === 0) return [];
  const [meta, configs] = await Promise.all([
    admin.fetchTopicMetadata({ topics: existing }),
    admin.describeConfigs({
      includeSynonyms: false,
      resources: existing.map((name) => ({ type: TOPIC_RESOURCE, name })),
    }),
  ]);
  const byName = new Map(configs.resources.map((r) => [r.resourceName, r.configEntries]));
  return meta.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.length,
    replicationFactor: t.partitions[0]?.replicas.length ?? 0,
    entries: byName.get(t.name) ?? [],
  }));
}

registerCompressionCodecs();
// Fetched records decoded with plain numbers instead of BigInt Longs (kafka-records.ts).
useRecordDecoder('feedctl');
export { useRecordDecoder };

// Our producers use kafkajs' default (murmur2, Java-compatible) partitioner; its v2 migration notice is noise.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export interface KafkaClientOptions {
  clientId?: string;
  connectionTimeoutMs?: number;
  retries?: number;
  /** Drop kafkajs' own log lines (readiness probes expect connection errors). */
  quiet?: boolean;
}

/** A kafkajs client for the configured brokers. */
export function createKafka(config: Config, opts: KafkaClientOptions = {}): Kafka {
  const kc: KafkaConfig = {
    clientId: opts.clientId ?? config.kafka.clientId,
    brokers: config.kafka.brokers,
    connectionTimeout: opts.connectionTimeoutMs ?? 3000,
    logLevel: opts.quiet ? logLevel.NOTHING : logLevel.WARN,
    logCreator: pinoLogCreator,
    retry: { retries: opts.retries ?? 5, initialRetryTime: 200 },
  };
  return new Kafka(kc);
}

/** Options of {@link createProducer}. */
export interface ProducerOptions extends KafkaClientOptions {
  /**
   * Idempotent delivery: kafkajs then requires acks -1 on every send, and feedctl keeps one request in flight.
   * kafkajs would retry an idempotent producer's sends forever; feedctl bounds them (`retries`, default 5) so a
   * broker outage surfaces as an error the caller retries with backoff: delivery is at-least-once across those.
   */
  idempotent?: boolean;
}

/** A producer for the configured brokers (not yet connected). It never creates a missing topic. */
export function createProducer(config: Config, opts: ProducerOptions = {}): Producer {
  const { idempotent = false, ...client } = opts;
  return createKafka(config, client).producer({
    idempotent,
    ...(idempotent ? { maxInFlightRequests: 1 } : {}),
    allowAutoTopicCreation: false,
    retry: { retries: opts.retries ?? 5, initialRetryTime: 200 },
  });
}

/** Runs `fn` with a connected admin client and always disconnects. Connection failures are KAFKA_UNREACHABLE. */
export async function withAdmin<T>(
  config: Config,
  fn: (admin: Admin) => Promise<T>,
  opts: KafkaClientOptions = {},
): Promise<T> {
  const admin = createKafka(config, opts).admin();
  try {
    await admin.connect();
  } catch (err) {
    throw kafkaUnreachable(config, err);
  }
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** One metadata request; resolves with the broker count or throws KAFKA_UNREACHABLE. */
export async function pingKafka(config: Config, timeoutMs = 3000): Promise<number> {
  try {
    return await withAdmin(config, async (a) => (await a.describeCluster()).brokers.length, {
      connectionTimeoutMs: timeoutMs,
      retries: 0,
      quiet: true,
    });
  } catch (err) {
    throw err instanceof FeedctlError ? err : kafkaUnreachable(config, err);
  }
}

export function kafkaUnreachable(config: Config, err: unknown): FeedctlError {
  return new FeedctlError('KAFKA_UNREACHABLE', causeText(err), {
    subsystem: 'kafka',
    action: 'connect',
    id: config.kafka.brokers.join(','),
    retriable: true,
    cause: err,
  });
}
