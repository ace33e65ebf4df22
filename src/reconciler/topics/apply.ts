/**
 * Applies one topic change with kafkajs admin calls, then records ownership. kafkajs has no incremental
 * alterConfigs, and AlterConfigs replaces every topic-level override: so config changes re-read the topic's current
 * overrides and send them merged with the managed keys, which leaves overrides feedctl does not manage intact.
 * A run of topic creates is a batch: one validate-only CreateTopics finds the first topic (in plan order) the broker
 * refuses, then one CreateTopics creates those before it and waits for all their leaders at once.
 */
import { TOPIC_CONFIG_SOURCE, TOPIC_RESOURCE, type Admin } from '../../clients/kafka.js';
import { logger } from '../../log.js';
import { firstFailure, type BatchOutcome } from '../batch.js';
import { forgetOwnership, recordOwnership, recordOwnerships } from '../inventory/apply.js';
import type { Applier, BatchApplier } from '../apply.js';
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

type TopicSpec = Parameters<Admin['createTopics']>[0]['topics'][number];

function topicSpec(topic: string, after: TopicState): TopicSpec {
  return {
    topic,
    numPartitions: after.partitions,
    replicationFactor: after.replicationFactor,
    configEntries: Object.entries(after.configs ?? {}).map(([name, value]) => ({ name, value })),
  };
}

const createTopic = (kafka: Admin, topic: string, after: TopicState) =>
  createTopics(kafka, [topicSpec(topic, after)]);

/**
 * Creates topics and waits for their partition leaders. Right after a create (or a broker restart) a metadata
 * request can still answer UNKNOWN_TOPIC_OR_PARTITION; the create is then repeated (an existing topic is not an
 * error) until the leaders are known.
 */
async function createTopics(kafka: Admin, topics: TopicSpec[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await kafka.createTopics({ waitForLeaders: true, topics });
      return;
    } catch (err) {
      if (!unknownTopic(err) || attempt >= CREATE_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

const log = logger('reconciler.topics');

/** Topic creates in one request: see the module comment. Exact outcome in plan order. */
export const batchTopics: BatchApplier = {
  actions: ['create'],
  transactional: false,
  async apply(ctx, changes) {
    const specs = changes.map((c) => topicSpec(c.id, (c.after ?? {}) as TopicState));
    const refused = await topicErrors(() =>
      ctx.kafka.createTopics({ validateOnly: true, waitForLeaders: false, topics: specs }),
    );
    let outcome = firstFailure(changes, (c) => refused.get(c.id) ?? null);
    const valid = specs.slice(0, outcome.applied);
    if (valid.length > 0) {
      const failed = await topicErrors(() => createTopics(ctx.kafka, valid));
      if (failed.size > 0) outcome = raced(changes, outcome, failed);
    }
    await recordOwnerships(
      ctx.db,
      'topic',
      changes.slice(0, outcome.applied).map((c) => ({ id: c.id, feed: c.feed, adopted: false })),
    );
    return outcome;
  },
};

/**
 * A topic the validation accepted but the create refused (something changed in between): the outcome stops at it;
 * topics after it that the same request created are logged, and the next plan adopts them.
 */
function raced(changes: Change[], validated: BatchOutcome, failed: Map<string, string>): BatchOutcome {
  const prefix = changes.slice(0, validated.applied);
  const outcome = firstFailure(prefix, (c) => failed.get(c.id) ?? null);
  const beyond = prefix.slice(outcome.applied + 1).filter((c) => !failed.has(c.id));
  if (beyond.length > 0) {
    log.warn({ topics: beyond.map((c) => c.id) }, 'topics created after the first failed one of their batch');
  }
  return outcome;
}

/**
 * Runs a CreateTopics and returns the broker's per-topic refusals (topic → "TYPE: message"); a topic that already
 * exists is not a refusal. Any other error is thrown.
 */
async function topicErrors(create: () => Promise<unknown>): Promise<Map<string, string>> {
  try {
    await create();
    return new Map();
  } catch (err) {
    const errors = (err as { errors?: unknown }).errors;
    const perTopic = errors as Array<{ topic?: unknown; type?: string; message?: string }>;
    if (!Array.isArray(errors) || perTopic.some((e) => typeof e.topic !== 'string')) throw err;
    const refusals = perTopic.filter((e) => e.type !== 'TOPIC_ALREADY_EXISTS');
    return new Map(refusals.map((e) => [String(e.topic), `${e.type ?? 'ERROR'}: ${e.message ?? ''}`]));
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
