/**
 * Observes Kafka topics in three requests whatever the number of feeds: list, metadata of the relevant topics, and
 * one describeConfigs for all of them. Relevant = desired names ∪ topics in the ownership inventory. Read-only.
 */
import { TOPIC_CONFIG_SOURCE, TOPIC_RESOURCE, type Admin } from '../../clients/kafka.js';
import type { Inventory } from '../inventory/observe.js';
import type { TopicDef } from './desired.js';

/** A topic as it exists. Invariant: `configs` has every config the broker reported; `overrides` only topic-level ones. */
export interface ObservedTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
  /** Configs set on the topic itself (not broker defaults): what a full alterConfigs must resend. */
  overrides: Record<string, string>;
}

export type ObservedTopics = Map<string, ObservedTopic>;

export async function observeTopics(
  kafka: Admin,
  desired: readonly TopicDef[],
  inventory: Inventory,
): Promise<ObservedTopics> {
  const wanted = new Set([...desired.map((t) => t.name), ...inventory.ofKind('topic').map((e) => e.id)]);
  const existing = (await kafka.listTopics()).filter((t) => wanted.has(t)).sort();
  const out: ObservedTopics = new Map();
  if (existing.length === 0) return out;
  const [meta, configs] = await Promise.all([
    kafka.fetchTopicMetadata({ topics: existing }),
    kafka.describeConfigs({
      includeSynonyms: false,
      resources: existing.map((name) => ({ type: TOPIC_RESOURCE, name })),
    }),
  ]);
  const byName = new Map(configs.resources.map((r) => [r.resourceName, r.configEntries]));
  for (const t of meta.topics) {
    const entries = byName.get(t.name) ?? [];
    out.set(t.name, {
      name: t.name,
      partitions: t.partitions.length,
      replicationFactor: t.partitions[0]?.replicas.length ?? 0,
      configs: Object.fromEntries(entries.map((e) => [e.configName, e.configValue])),
      overrides: Object.fromEntries(
        entries
          .filter((e) => e.configSource === TOPIC_CONFIG_SOURCE)
          .map((e) => [e.configName, e.configValue]),
      ),
    });
  }
  return out;
}
