/**
 * Observes Kafka topics in three requests whatever the number of feeds: list, metadata of the relevant topics, and
 * one describeConfigs for all of them. Relevant = desired names ∪ topics in the ownership inventory. Read-only.
 */
import { describeTopics, TOPIC_CONFIG_SOURCE, type Admin } from '../../clients/kafka.js';
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
  const wanted = [...desired.map((t) => t.name), ...inventory.ofKind('topic').map((e) => e.id)];
  const out: ObservedTopics = new Map();
  for (const { entries, ...t } of await describeTopics(kafka, wanted)) {
    out.set(t.name, {
      ...t,
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
