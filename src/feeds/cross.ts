/**
 * Cross-file checks over every normalized feed: feed names, Kafka topics (data and dead-letter topics, where
 * Kafka also treats '.' and '_' alike) and warehouse relations (tables and the `<table>_latest` views of table
 * feeds, case-insensitively) must each belong to one manifest. Every file involved gets its own issue naming the
 * other file(s).
 */
import { latestViewName } from '../shape.js';
import type { Issue, Path } from './issue.js';
import type { FeedSpec } from './types.js';

/** An issue in a given manifest file. */
export interface FileIssue extends Issue {
  file: string;
}

/** One name a feed takes in a shared namespace. */
interface Claim {
  file: string;
  /** Equal keys collide. */
  key: string;
  value: string;
  at: Path[];
  /** How this feed's own message starts, e.g. `spec.topic.name "orders"`. */
  subject: string;
  /** How other feeds' messages refer to it, e.g. `the dead-letter topic`. */
  role: string;
}

const TOPIC_AT: Path[] = [
  ['spec', 'topic', 'name'],
  ['metadata', 'name'],
];
const TABLE_AT: Path[] = [['spec', 'destinations', 'warehouse', 'table']];

/** Duplicate names across manifests. */
export function crossChecks(feeds: FeedSpec[]): FileIssue[] {
  return [
    ...collisions(feeds.map(nameClaim)),
    ...collisions(feeds.flatMap(topicClaims)),
    ...collisions(feeds.flatMap(tableClaims)),
  ];
}

function nameClaim(f: FeedSpec): Claim {
  const subject = `metadata.name "${f.name}"`;
  return {
    file: f.manifestPath,
    key: f.name,
    value: f.name,
    at: [['metadata', 'name']],
    subject,
    role: 'the feed name',
  };
}

function topicClaims(f: FeedSpec): Claim[] {
  const claim = (value: string, at: Path[], subject: string, role: string): Claim => ({
    file: f.manifestPath,
    key: value.replace(/\./g, '_'),
    value,
    at,
    subject: `${subject} "${value}"`,
    role,
  });
  const topic = claim(f.topic.name, TOPIC_AT, 'spec.topic.name', 'the topic');
  if (!f.deadLetter.enabled) return [topic];
  const dlqAt = [['spec', 'deadLetter', 'topic'], ...TOPIC_AT];
  return [topic, claim(f.deadLetter.topic, dlqAt, 'spec.deadLetter.topic', 'the dead-letter topic')];
}

function tableClaims(f: FeedSpec): Claim[] {
  const table = f.destinations.warehouse.table;
  if (!f.destinations.warehouse.enabled || table === null) return [];
  const subject = `spec.destinations.warehouse.table "${table}"`;
  const base = { file: f.manifestPath, at: TABLE_AT };
  const claims: Claim[] = [
    { ...base, key: table.toLowerCase(), value: table, subject, role: 'the warehouse table' },
  ];
  if (f.type === 'table') {
    const view = latestViewName(table);
    const viewSubject = `${subject} needs a view "${view}", which`;
    claims.push({
      ...base,
      key: view.toLowerCase(),
      value: view,
      subject: viewSubject,
      role: 'the "_latest" view of the table',
    });
  }
  return claims;
}

/** Files named in one message at most. */
const MAX_NAMED = 3;

function collisions(claims: Claim[]): FileIssue[] {
  const groups = new Map<string, Claim[]>();
  for (const c of claims) groups.set(c.key, [...(groups.get(c.key) ?? []), c]);
  return [...groups.values()].flatMap((group) =>
    group.flatMap((c) => {
      const others = group.filter((o) => o.file !== c.file);
      if (others.length === 0) return [];
      const named = others.slice(0, MAX_NAMED).map((o) => clash(c, o));
      const more = others.length > MAX_NAMED ? ` (and ${others.length - MAX_NAMED} more files)` : '';
      const message = `${c.subject} ${named.join('; and ')}${more}`;
      return [{ file: c.file, at: c.at, target: 'value' as const, message, severity: 'error' as const }];
    }),
  );
}

function clash(c: Claim, o: Claim): string {
  if (o.value === c.value) return `is also ${o.role} in ${o.file}`;
  if (o.value.toLowerCase() === c.value.toLowerCase()) {
    return `is also ${o.role} in ${o.file} ("${o.value}"; MySQL table names are case-insensitive)`;
  }
  return `collides with ${o.role} "${o.value}" in ${o.file} (Kafka treats '.' and '_' alike in topic names)`;
}
