/**
 * The topics the registry names, as they exist: partitions, replication factor and the topic-level configs a
 * manifest may manage (src/feeds/topic-configs.ts), so the manifest declares them as they are. Read-only; three
 * requests whatever the number of topics.
 */
import { describeTopics, TOPIC_CONFIG_SOURCE, type Admin, type ConfigEntry } from '../../clients/kafka.js';
import { TOPIC_CONFIGS } from '../../feeds/topic-configs.js';

export interface TopicFacts {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Topic-level overrides among the configs a manifest may name, sorted by name. */
  configs: Record<string, string>;
}

/** The managed configs among a topic's described entries (pure): overrides set on the topic only. */
export function managedConfigs(entries: readonly ConfigEntry[]): Record<string, string> {
  const mine = entries.filter((e) => e.configSource === TOPIC_CONFIG_SOURCE && e.configName in TOPIC_CONFIGS);
  return Object.fromEntries(
    mine.map((e) => [e.configName, e.configValue] as const).sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** The topics among `names` that exist. */
export async function readTopics(admin: Admin, names: readonly string[]): Promise<Map<string, TopicFacts>> {
  const described = await describeTopics(admin, names);
  return new Map(described.map(({ entries, ...t }) => [t.name, { ...t, configs: managedConfigs(entries) }]));
}
