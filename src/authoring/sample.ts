/**
 * Reads a sample of a topic's messages for type inference, with a throw-away consumer group
 * (`feedctl-sample-<random>`) that starts from the beginning, never commits, and is deleted afterwards. It stops when
 * N messages are read, when every partition reached the end it had when the sample started, or at the timeout,
 * whichever comes first — a topic being written to never keeps it running.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import { createKafka, topicLogOffsets, withAdmin, type Consumer } from '../clients/kafka.js';
import { FeedctlError, causeText } from '../errors.js';
import { logger } from '../log.js';
import { createProgress, type ProgressStream } from '../progress.js';

export interface SampleOptions {
  /** Default 60 s: the sample returns what it read by then. */
  timeoutMs?: number;
  /** Where progress is drawn (default stderr, on a terminal only). */
  progressStream?: ProgressStream;
}

export interface Sample {
  /** Message values in the order read (per partition in offset order); null for a tombstone. */
  values: Array<Buffer | null>;
  /** The topic's partition count. */
  partitions: number;
  /** False when the timeout stopped the sample before N messages or the end of the topic. */
  complete: boolean;
  /** The throw-away consumer group it used (deleted afterwards); empty when nothing had to be read. */
  group: string;
}

const log = () => logger('authoring.sample');

/** Reads up to `n` messages of `topic` from the beginning. A missing topic is an error naming it. */
export async function sampleTopic(
  config: Config,
  topic: string,
  n: number,
  opts: SampleOptions = {},
): Promise<Sample> {
  const ends = await withAdmin(config, async (admin) => {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) {
      throw new FeedctlError('KAFKA_REQUEST_FAILED', 'the topic does not exist', {
        subsystem: 'kafka',
        action: 'sample topic',
        id: topic,
      });
    }
    return topicLogOffsets(admin, topic);
  });
  const pending = new Map(ends.filter((e) => e.high > e.low).map((e) => [e.partition, e.high]));
  const total = Math.min(
    n,
    ends.reduce((sum, e) => sum + e.high - e.low, 0),
  );
  if (total === 0 || n <= 0) return { values: [], partitions: ends.length, complete: true, group: '' };
  const groupId = `feedctl-sample-${randomBytes(6).toString('hex')}`;
  const read = await readUntil(config, topic, groupId, { n, total, pending, ...opts });
  await deleteGroup(config, groupId);
  log().info({ topic, groupId, messages: read.values.length, complete: read.complete }, 'topic sampled');
  return { ...read, partitions: ends.length, group: groupId };
}

interface ReadPlan extends SampleOptions {
  n: number;
  total: number;
  /** Partitions still to read, with the offset they end at. */
  pending: Map<number, number>;
}

async function readUntil(
  config: Config,
  topic: string,
  groupId: string,
  plan: ReadPlan,
): Promise<{ values: Array<Buffer | null>; complete: boolean }> {
  const consumer = createKafka(config).consumer({ groupId, allowAutoTopicCreation: false });
  const progress = createProgress(`sampling ${topic}`, { total: plan.total, ...streamOpt(plan) });
  const values: Array<Buffer | null> = [];
  let finish: (complete: boolean) => void = () => undefined;
  const finished = new Promise<boolean>((resolve) => (finish = resolve));
  const timer = setTimeout(() => finish(false), plan.timeoutMs ?? 60_000);
  try {
    await start(consumer, topic, async ({ partition, offset, value }) => {
      if (values.length >= plan.n) return;
      values.push(value);
      progress.tick();
      const end = plan.pending.get(partition);
      if (end !== undefined && Number(offset) + 1 >= end) plan.pending.delete(partition);
      if (values.length >= plan.n || plan.pending.size === 0) finish(true);
    });
    const complete = await finished;
    progress.done(`${values.length} messages read`);
    return { values, complete };
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

function streamOpt(plan: ReadPlan): { stream?: ProgressStream } {
  return plan.progressStream ? { stream: plan.progressStream } : {};
}

type OnMessage = (m: { partition: number; offset: string; value: Buffer | null }) => Promise<void>;

async function start(consumer: Consumer, topic: string, onMessage: OnMessage): Promise<void> {
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ partition, message }) =>
        onMessage({ partition, offset: message.offset, value: message.value }),
    });
  } catch (err) {
    throw new FeedctlError('KAFKA_REQUEST_FAILED', causeText(err), {
      subsystem: 'kafka',
      action: 'sample topic',
      id: topic,
      retriable: true,
      cause: err,
    });
  }
}

/** Deletes the throw-away group; a failure is only logged (an empty group expires on its own). */
async function deleteGroup(config: Config, groupId: string): Promise<void> {
  try {
    await withAdmin(config, (admin) => admin.deleteGroups([groupId]));
  } catch (err) {
    log().warn({ groupId, err: causeText(err) }, 'could not delete the sample consumer group');
  }
}
