/**
 * `feedctl import`: adopts an installation made by the runbook. Reads the feeds registered by hand, their
 * kafka_config.py entries (optional), their topics and warehouse tables, and writes one manifest per feed into
 * the feeds folder (refusing to overwrite one unless `force`). Reads only; the manifests then go through the
 * usual `reconcile --dry-run`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config.js';
import { withAdmin } from '../../clients/kafka.js';
import { isMissingTable, mysqlError, withMysql } from '../../clients/mysql.js';
import { FeedctlError } from '../../errors.js';
import { logger } from '../../log.js';
import { renderManifest, type FeedDraft } from '../draft.js';
import { inferFields, parseValues, type Inferred } from '../infer.js';
import { sampleTopic } from '../sample.js';
import { buildDraft, type ImportFacts } from './build-draft.js';
import { readKafkaConfig, type KafkaConfigFile } from './kafka-config.js';
import { readRegistry, type RunbookFeed } from './read-registry.js';
import { readTables, type TableRows } from './read-tables.js';
import { readTopics, type TopicFacts } from './read-topics.js';

export interface ImportOptions {
  /** Where the manifests go (the config's feedsDir unless --dir). */
  dir: string;
  force: boolean;
  /** Path of the runbook's kafka_config.py. */
  kafkaConfig?: string;
  /** Infers fields from a sample of a topic, for feeds without a warehouse table (see topicSampler). */
  sample?: (topic: string, feed: string) => Promise<Inferred | null>;
  /** Called before each step (a progress display). */
  onStep?: (step: string) => void;
}

export interface ImportResult {
  /** Manifest files written, in feed order. */
  written: string[];
  drafts: FeedDraft[];
}

const log = logger('authoring.import');

/** The warehouse table a feed names, and where the name comes from (kafka_config.py, the registry, the runbook). */
function tableName(feed: RunbookFeed, kc: KafkaConfigFile | null) {
  const entry = kc?.topics.find((t) => t.topic === feed.kafkaTopic);
  if (entry?.mysqlTable) return { name: entry.mysqlTable, source: 'kafka_config' as const };
  if (feed.warehouseTable) return { name: feed.warehouseTable, source: 'registry' as const };
  return { name: `fact_${feed.feedName}`, source: 'convention' as const };
}

/** Reads up to `n` messages of a topic and infers its fields with `feedctl new --from-topic`'s rules. */
export function topicSampler(config: Config, n: number): NonNullable<ImportOptions['sample']> {
  return async (topic, feed) => {
    const s = await sampleTopic(config, topic, n);
    if (s.values.length === 0) return null;
    const inferred = inferFields(parseValues(s.values), { feed });
    const read = `${s.values.length} message(s) sampled${s.complete ? '' : ' (the sample timed out)'}.`;
    return { ...inferred, notes: [read, ...inferred.notes] };
  };
}

/** Reads everything, writes nothing. */
export async function gatherFacts(config: Config, opts: ImportOptions): Promise<ImportFacts[]> {
  opts.onStep?.('reading kafka_config.py');
  const kc = opts.kafkaConfig ? await readKafkaConfig(opts.kafkaConfig) : null;
  opts.onStep?.('reading the registry and warehouse tables');
  const { feeds, tables } = await withMysql(config, async (db) => {
    try {
      const feeds = await readRegistry(db);
      const tables = await readTables(db, [...new Set(feeds.map((f) => tableName(f, kc).name))]);
      return { feeds, tables };
    } catch (err) {
      if (!isMissingTable(err)) throw mysqlError(err, config, 'read the registry');
      throw new FeedctlError(
        'MYSQL_QUERY_FAILED',
        `database ${config.mysql.database} has no feed_registry or data_retention_policies table: point mysql.database (FEEDCTL_MYSQL_DATABASE) at the runbook's database`,
        { subsystem: 'authoring.import', action: 'read the registry', cause: err },
      );
    }
  });
  opts.onStep?.('reading topics');
  const topics = await withAdmin(config, (a) =>
    readTopics(
      a,
      feeds.map((f) => f.kafkaTopic),
    ),
  );
  const facts: ImportFacts[] = [];
  for (const feed of feeds) facts.push(await factsOf(feed, kc, tables, topics, config, opts));
  return facts;
}

async function factsOf(
  feed: RunbookFeed,
  kc: KafkaConfigFile | null,
  tables: Map<string, TableRows>,
  topics: Map<string, TopicFacts>,
  config: Config,
  opts: ImportOptions,
): Promise<ImportFacts> {
  const t = tableName(feed, kc);
  const rows = tables.get(t.name);
  const topic = topics.get(feed.kafkaTopic) ?? null;
  let sampled: Inferred | null = null;
  if (!rows && topic && opts.sample) {
    opts.onStep?.(`sampling ${topic.name}`);
    sampled = await opts.sample(topic.name, feed.feedName);
  }
  return {
    feed,
    entry: kc?.topics.find((e) => e.topic === feed.kafkaTopic) ?? null,
    schema: kc?.schemas[feed.kafkaTopic] ?? null,
    topic,
    table: rows ? { rows, source: t.source } : null,
    missingTable: rows || t.source === 'convention' ? null : t.name,
    sampled,
    defaultReplicationFactor: config.kafka.defaultReplicationFactor,
  };
}

/** Reads the installation and writes the manifests. */
export async function importFeeds(config: Config, opts: ImportOptions): Promise<ImportResult> {
  const drafts = (await gatherFacts(config, opts)).map(buildDraft);
  const files = drafts.map((d) => path.join(opts.dir, `${d.name}.yaml`));
  const existing = files.filter((f) => existsSync(f));
  if (existing.length > 0 && !opts.force) {
    throw new FeedctlError(
      'CONFIG_INVALID',
      `${existing.join(', ')} already exist(s): nothing written (--force overwrites)`,
      { subsystem: 'authoring.import', action: 'write manifests', id: opts.dir },
    );
  }
  mkdirSync(opts.dir, { recursive: true });
  drafts.forEach((d, i) => writeFileSync(files[i] as string, renderManifest(d)));
  log.info({ feeds: drafts.length, dir: opts.dir }, 'manifests written');
  return { written: files, drafts };
}

/** What the command prints: one line per manifest written, the notes to act on, and the next step. */
export function importSummary(result: ImportResult, cwd = process.cwd()): string {
  if (result.written.length === 0) {
    return 'No feed registered by hand: nothing to import (feeds feedctl manages already have manifests).\n';
  }
  const lines = result.written.map((f, i) => {
    const d = result.drafts[i] as FeedDraft;
    const todo = [...d.notes, ...d.fields.map((x) => x.note ?? '')].filter((n) =>
      n.startsWith('TODO'),
    ).length;
    return `wrote ${path.relative(cwd, f) || f}${todo > 0 ? ` (${todo} TODO note(s) to review)` : ''}`;
  });
  const dir = path.relative(cwd, path.dirname(result.written[0] as string)) || '.';
  return [
    ...lines,
    '',
    `Next: feedctl validate ${dir} && feedctl reconcile --dry-run — it should only adopt topics and tables and`,
    'register the feeds; then feedctl reconcile.',
    '',
  ].join('\n');
}
