/**
 * Desired Kafka topics, from the manifests alone (pure): each feed's topic and, when its dead-letter topic is on,
 * the dead-letter topic. Dead-letter topics carry little traffic and no ordering needs: one partition, broker
 * default configs, the feed's replication factor.
 */
import type { Config } from '../../config/config.js';
import type { FeedSpec } from '../../feeds/types.js';

/** A topic as feedctl wants it. Invariant: `replicationFactor` is resolved (never null); config keys sorted. */
export interface TopicDef {
  name: string;
  feed: string;
  role: 'data' | 'dead-letter';
  partitions: number;
  replicationFactor: number;
  /** Only these keys are managed; any other config of the topic is left alone. */
  configs: Record<string, string>;
  /** The manifest takes over an existing topic feedctl did not create. */
  adopt: boolean;
}

export function desiredTopics(feeds: FeedSpec[], config: Config): TopicDef[] {
  return feeds.flatMap((f) => {
    const replicationFactor = f.topic.replicationFactor ?? config.kafka.defaultReplicationFactor;
    const data: TopicDef = {
      name: f.topic.name,
      feed: f.name,
      role: 'data',
      partitions: f.topic.partitions,
      replicationFactor,
      configs: f.topic.configs,
      adopt: f.topic.adopt,
    };
    if (!f.deadLetter.enabled) return [data];
    const dlq: TopicDef = {
      name: f.deadLetter.topic,
      feed: f.name,
      role: 'dead-letter',
      partitions: 1,
      replicationFactor,
      configs: {},
      adopt: f.topic.adopt,
    };
    return [data, dlq];
  });
}
