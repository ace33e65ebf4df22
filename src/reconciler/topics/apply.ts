/**
 * Applies one topic change with kafkajs admin calls, then records ownership. kafkajs has no incremental
 * alterConfigs, and AlterConfigs replaces every topic-level override: so config changes re-read the topic's current
 * overrides and send them merged with the managed keys, which leaves overrides feedctl does not manage intact.
 */
import { TOPIC_CONFIG_SOURCE, TOPIC_RESOURCE, type Admin } from '../../clients/kafka.js';
import { forgetOwnership, recordOwnership } from '../inventory/apply.js';
import type { Applier } from '../apply.js';
import type { Change } from '../plan/types.js';

interface TopicState {
  partitions?: number;
  replicationFactor?: number;
  configs?: Record<string, string>;
}

export const applyTopic: Applier = async (ctx, change) => {
  const after = (change.after ?? {}) as TopicState;
  switch (change.action) {
    case 'create':
      await createTopic(ctx.kafka, change.id, after);
      return recordOwnership(ctx.db, 'topic', change.id, change.feed, false);
    case 'update':
    case 'adopt':
      await alterTopic(ctx.kafka, change, after);
      if (change.action === 'adopt') await recordOwnership(ctx.db, 'topic', change.id, change.feed, true);
      return;
    case 'delete':
      await ctx.kafka.deleteTopics({ topics: [change.id], timeout: 30_000 });
      return forgetOwnership(ctx.db, 'topic', change.id);
  }
};

/** Attempts of a create whose wait for partition leaders met metadata the broker had not propagated yet. */
const CREATE_ATTEMPTS = 5;

/**
 * Creates a topic and waits for its partition leaders. Right after a create (or a broker restart) a metadata
 * request can still answer UNKNOWN_TOPIC_OR_PARTITION; the create is then repeated (an existing topic is not an
 * error) until the leaders are known.
 */
async function createTopic(kafka: Admin, topic: string, after: TopicState): Promise<void> {
  const spec = {
    topic,
    numPartitions: after.partitions,
    replicationFactor: after.replicationFactor,
    configEntries: Object.entries(after.configs ?? {}).map(([name, value]) => ({ name, value })),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await kafka.createTopics({ waitForLeaders: true, topics: [spec] });
      return;
    } catch (err) {
      if (!unknownTopic(err) || attempt >= CREATE_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/** kafkajs' UNKNOWN_TOPIC_OR_PARTITION, itself or as the cause of its retries giving up. */
function unknownTopic(err: unknown): boolean {
  for (let e = err as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
  }
  return /does not host this topic-partition/.test(String(err));
}

async function alterTopic(kafka: Admin, change: Change, after: TopicState): Promise<void> {
  const before = (change.before ?? {}) as TopicState;
  if (after.partitions !== undefined && after.partitions > (before.partitions ?? after.partitions)) {
    await kafka.createPartitions({ topicPartitions: [{ topic: change.id, count: after.partitions }] });
  }
  if (!after.configs || Object.keys(after.configs).length === 0) return;
  const current = await kafka.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: TOPIC_RESOURCE, name: change.id }],
  });
  const overrides = Object.fromEntries(
    (current.resources[0]?.configEntries ?? [])
      .filter((e) => e.configSource === TOPIC_CONFIG_SOURCE)
      .map((e) => [e.configName, e.configValue]),
  );
  const merged = { ...overrides, ...after.configs };
  await kafka.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: TOPIC_RESOURCE,
        name: change.id,
        configEntries: Object.entries(merged).map(([name, value]) => ({ name, value })),
      },
    ],
  });
}
