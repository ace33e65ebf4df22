/**
 * Per-feed semantic checks on the normalized spec, beyond what the JSON Schema expresses: every name (including
 * derived ones) against names.ts, topic config values, retention against the feed type, the dead-letter topic,
 * the warehouse table against feedctl's own tables, the schema checks of semantic-schema.ts and the snapshot
 * contract checks of semantic-snapshot.ts.
 */
import { formatPath, issueAt, warningAt, type Issue, type Path } from './issue.js';
import { nameProblem, type NameKind } from './names.js';
import type { RawManifest } from './normalize.js';
import { schemaChecks } from './semantic-schema.js';
import { snapshotChecks } from './semantic-snapshot.js';
import { configValueProblem } from './topic-configs.js';
import type { FeedSpec } from './types.js';

/** Where each derived or defaulted name is written, first choice first. */
const TOPIC_AT: Path[] = [
  ['spec', 'topic', 'name'],
  ['metadata', 'name'],
];
const DLQ_AT: Path[] = [['spec', 'deadLetter', 'topic'], ...TOPIC_AT];
const TABLE_AT: Path = ['spec', 'destinations', 'warehouse', 'table'];

/** Control-plane tables in the warehouse database (migrations/); feed tables may not take their names. */
const CONTROL_TABLES = new Set(['feed_registry', 'data_retention_policies', 'audit_log']);

/** All semantic issues of one feed. `raw` is its schema-valid data (for what normalization drops). */
export function semanticChecks(feed: FeedSpec, raw: RawManifest): Issue[] {
  return [
    ...nameChecks(feed, raw.spec.access?.roles ?? []),
    ...topicChecks(feed),
    ...retentionChecks(feed, raw),
    ...accessChecks(feed),
    ...destinationChecks(feed),
    ...schemaChecks(feed, keyPaths(raw)),
    ...snapshotChecks(feed, raw),
  ];
}

function nameChecks(feed: FeedSpec, rawRoles: string[]): Issue[] {
  const table = feed.destinations.warehouse.table;
  const names: [NameKind, string, Path | Path[], string][] = [
    ['feed', feed.name, ['metadata', 'name'], 'metadata.name'],
    ['topic', feed.topic.name, TOPIC_AT, 'spec.topic.name'],
    ['topic', feed.deadLetter.topic, DLQ_AT, 'spec.deadLetter.topic'],
    ...rawRoles.map((r, i): [NameKind, string, Path, string] => {
      return ['role', r, ['spec', 'access', 'roles', i], `spec.access.roles[${i}]`];
    }),
  ];
  if (table !== null) names.push(['table', table, TABLE_AT, 'spec.destinations.warehouse.table']);
  const issues = names.flatMap(([kind, value, at, label]) => {
    const problem = nameProblem(kind, value);
    return problem ? [issueAt(at, `${label} "${value}" ${problem}`)] : [];
  });
  if (table !== null && (CONTROL_TABLES.has(table) || table.startsWith('feedctl_'))) {
    const message = `spec.destinations.warehouse.table "${table}" is one of feedctl's own tables (feed_registry, data_retention_policies, audit_log, feedctl_*); choose another name`;
    issues.push(issueAt(TABLE_AT, message));
  }
  return issues;
}

function topicChecks(feed: FeedSpec): Issue[] {
  const { topic, deadLetter } = feed;
  const issues = Object.entries(topic.configs).flatMap(([key, value]) => {
    const problem = configValueProblem(key, value);
    const at = ['spec', 'topic', 'configs', key];
    return problem ? [issueAt(at, `${formatPath(at)} ${JSON.stringify(value)} ${problem}`)] : [];
  });
  if (deadLetter.enabled && deadLetter.topic === topic.name) {
    const message = `spec.deadLetter.topic "${deadLetter.topic}" is the feed's own topic: dead letters need a topic of their own`;
    issues.push(issueAt(DLQ_AT, message));
  }
  if (topic.name.includes('.') && topic.name.includes('_')) {
    const message = `spec.topic.name "${topic.name}" mixes '.' and '_': Kafka metric names treat them alike, so it could collide with another topic; prefer one of them`;
    issues.push(warningAt(TOPIC_AT, message));
  }
  return issues;
}

function retentionChecks(feed: FeedSpec, raw: RawManifest): Issue[] {
  const r = raw.spec.retention ?? {};
  if (feed.type === 'table' && r.days !== undefined) {
    const message =
      'spec.retention.days applies to stream feeds: a table feed keeps snapshot versions (use spec.retention.versions)';
    return [issueAt(['spec', 'retention', 'days'], message, 'key')];
  }
  if (feed.type === 'stream' && r.versions !== undefined) {
    const message =
      'spec.retention.versions applies to table feeds: a stream feed keeps days of data (use spec.retention.days)';
    return [issueAt(['spec', 'retention', 'versions'], message, 'key')];
  }
  return [];
}

function accessChecks(feed: FeedSpec): Issue[] {
  if (feed.access.roles.length === 0 || feed.destinations.warehouse.enabled) return [];
  const message =
    'spec.access.roles has no effect: the warehouse destination is disabled, so there is no table to grant';
  return [warningAt(['spec', 'access', 'roles'], message)];
}

/** A feed writes somewhere: the registry's `destination` is data_lake, data_warehouse or both, never none. */
function destinationChecks(feed: FeedSpec): Issue[] {
  if (feed.destinations.lake.enabled || feed.destinations.warehouse.enabled) return [];
  const message =
    'spec.destinations: both the lake and the warehouse are disabled; enable at least one (or set spec.enabled: false)';
  return [issueAt(['spec', 'destinations'], message, 'key')];
}

/** Where each key entry is written: `key: a` or `key: [a, b]`. */
function keyPaths(raw: RawManifest): Path[] {
  const key = raw.spec.schema.key;
  if (key === undefined) return [];
  return typeof key === 'string'
    ? [['spec', 'schema', 'key']]
    : key.map((_, i) => ['spec', 'schema', 'key', i]);
}
