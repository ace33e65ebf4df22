/** The kafkajs consumer settings of every feed consumer (the runtime bench's no-op kafkajs reader uses the same). */
import type { ConsumerConfig } from '../../clients/kafka.js';
import type { Config } from '../../config/config.js';

/** Partitions whose batches one consumer processes at once. */
export const PARTITIONS_AT_ONCE = 4;

export function consumerSettings(config: Config, groupId: string): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: config.kafka.sessionTimeoutMs,
    heartbeatInterval: Math.floor(config.kafka.sessionTimeoutMs / 10),
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 1024 * 1024,
    // kafkajs would restart a crashed consumer in place, keeping this consumer's partition state; the worker
    // restarts it afresh instead (with backoff, shown in status), so every partition resumes from its sink.
    retry: { retries: 5, restartOnFailure: async () => false },
  };
}
