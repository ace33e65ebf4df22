/**
 * The topics the registry names, as they exist: partitions, replication factor and the topic-level configs a
 * manifest may manage (src/feeds/topic-configs.ts), so the manifest declares them as they are. Read-only; three
 * requests whatever the number of topics.
 */
import { TOPIC_CONFIG_SOURCE, TOPIC_RESOURCE, type Admin } from '../../clients/kafka.js';
import { TOPIC_CONFIGS } from '../../feeds/topic-configs.js';

export interface TopicFacts {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Topic-level overrides among the configs a manifest may name, sorted by name. */
  configs: Record<string, string>;
}

/** The managed configs among a topic's described entries (pure): overrides set on the topic only. */
export function managedConfigs(
  entries: readonly { configName: string; configValue: string; configSource: number }[],
): Record<string, string> {
  const mine = entries.filter((e) => e.configSource === TOPIC_CONFIG_SOURCE && e.configName in TOPIC_CONFIGS);
  return Object.fromEntries(
    mine.map((e) => [e.configName, e.configValue] as const).sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** The topics among `names` that exist. */
export async function readTopics(admin: Admin, names: readonly string[]): Promise<Map<string, TopicFacts>> {
  const wanted = new Set(names);
  const existing = (await admin.listTopics()).filter((t) => wanted.has(t)).sort();
  const out = new Map<string, TopicFacts>();
  if (existing.length === 0) return out;
  const [meta, described] = await Promise.all([
    admin.fetchTopicMetadata({ topics: existing }),
    admin.describeConfigs({
      includeSynonyms: false,
      resources: existing.map((name) => ({ type: TOPIC_RESOURCE, name })),
    }),
  ]);
  const byName = new Map(described.resources.map((r) => [r.resourceName, r.configEntries]));
  for (const t of meta.topics) {
    out.set(t.name, {
      name: t.name,
      partitions: t.partitions.length,
      replicationFactor: t.partitions[0]?.replicas.length ?? 0,
      configs: managedConfigs(byName.get(t.name) ?? []),
    });
  }
  return out;
}
