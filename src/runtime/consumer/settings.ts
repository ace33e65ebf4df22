/** The kafkajs consumer settings of every feed consumer (the runtime bench's no-op kafkajs reader uses the same). */
import type { ConsumerConfig } from '../../clients/kafka.js';
import type { Config } from '../../config/config.js';

/** Partitions whose batches one consumer processes at once. */
export const PARTITIONS_AT_ONCE = 4;

/** What one consumer asks the brokers for in one fetch: in all, and per partition. */
export interface FetchLimits {
  maxBytes: number;
  maxBytesPerPartition: number;
}

const KIB = 1024;
/**
 * Lake consumers only: a fetch waits for up to this long for `minBytes` to arrive. A lake consumer caught up with
 * its producers would otherwise fetch, hand to a lane and buffer a few messages at a time, paying those costs per
 * message (three workers on one 2-core machine then ingested a third less than one); its files are flushed after
 * `flush.idleSeconds` (≥ 1 s) anyway, so the wait costs the lake no latency. Warehouse consumers fetch at once.
 */
export const LAKE_FETCH_WAIT_MS = 500;
/** kafkajs's own defaults: the most a consumer fetches when memory allows. */
export const DEFAULT_FETCH: FetchLimits = { maxBytes: 10 * 1024 * KIB, maxBytesPerPartition: 1024 * KIB };

/**
 * One consumer's share of the process's fetch window (memory.ts) among `consumers`, spread over its topic's
 * `partitions`; never more than kafkajs's defaults, never less than 64 KiB a partition (a batch larger than the
 * limit is still fetched whole: Kafka always returns the first batch, so a small window slows, never stalls).
 */
export function fetchLimits(windowBytes: number, consumers: number, partitions: number): FetchLimits {
  const share = Math.floor(windowBytes / Math.max(1, consumers));
  const maxBytes = Math.max(256 * KIB, Math.min(DEFAULT_FETCH.maxBytes, share));
  const perPartition = Math.floor(maxBytes / Math.max(1, partitions));
  return {
    maxBytes,
    maxBytesPerPartition: Math.max(64 * KIB, Math.min(DEFAULT_FETCH.maxBytesPerPartition, perPartition)),
  };
}

export function consumerSettings(
  config: Config,
  groupId: string,
  fetch: FetchLimits = DEFAULT_FETCH,
  waitForData = false,
): ConsumerConfig {
  const batching = waitForData
    ? { minBytes: Math.min(256 * KIB, Math.floor(fetch.maxBytes / 2)), maxWaitTimeInMs: LAKE_FETCH_WAIT_MS }
    : {};
  return {
    ...batching,
    groupId,
    sessionTimeout: config.kafka.sessionTimeoutMs,
    heartbeatInterval: Math.floor(config.kafka.sessionTimeoutMs / 10),
    allowAutoTopicCreation: false,
    maxBytes: fetch.maxBytes,
    maxBytesPerPartition: fetch.maxBytesPerPartition,
    // kafkajs would restart a crashed consumer in place, keeping this consumer's partition state; the worker
    // restarts it afresh instead (with backoff, shown in status), so every partition resumes from its sink.
    retry: { retries: 5, restartOnFailure: async () => false },
  };
}
