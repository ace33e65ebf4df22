/**
 * Semantic checks of `spec.snapshot` (the snapshot contract of table feeds) beyond the JSON Schema: it belongs to
 * table feeds only; a version field is a declared, non-nullable int or bigint field; a version header is not one
 * of the contract's other headers. Warns about a compacted topic on a table feed, which the contract cannot use.
 */
import { issueAt, warningAt, type Issue, type Path } from './issue.js';
import type { RawManifest } from './normalize.js';
import { SNAPSHOT_HEADERS, type FeedSpec } from './types.js';

const SNAPSHOT: Path = ['spec', 'snapshot'];
const CLEANUP_POLICY = 'cleanup.policy';
/** Headers with a fixed meaning in the contract; the version header must differ from them. */
const OTHER_HEADERS: readonly string[] = [SNAPSHOT_HEADERS.end, SNAPSHOT_HEADERS.rows, SNAPSHOT_HEADERS.date];

/** Issues of the feed's snapshot contract. `raw` is its schema-valid data (a stream's snapshot is dropped). */
export function snapshotChecks(feed: FeedSpec, raw: RawManifest): Issue[] {
  if (feed.type === 'stream') {
    if (raw.spec.snapshot === undefined) return [];
    const message =
      'spec.snapshot applies to table feeds: a stream feed has no snapshot versions (remove it, or set spec.type: table)';
    return [issueAt(SNAPSHOT, message, 'key')];
  }
  return [...versionChecks(feed), ...compactionChecks(feed)];
}

function versionChecks(feed: FeedSpec): Issue[] {
  const version = feed.snapshot?.version;
  if (!version) return [];
  if (version.source === 'header') {
    if (!OTHER_HEADERS.includes(version.name)) return [];
    const message = `spec.snapshot.version.header "${version.name}" is a header of the snapshot contract with its own meaning (${OTHER_HEADERS.join(', ')}); name another header`;
    return [issueAt([...SNAPSHOT, 'version', 'header'], message)];
  }
  const problem = versionFieldProblem(feed, version.name);
  if (problem === null) return [];
  const shown = feed.schema.fields.find((f) => f.name === version.name)?.property ?? version.name;
  const message = `spec.snapshot.version.field "${shown}" ${problem}`;
  return [issueAt([...SNAPSHOT, 'version', 'field'], message)];
}

function versionFieldProblem(feed: FeedSpec, name: string): string | null {
  const field = feed.schema.fields.find((f) => f.name === name);
  if (!field) return 'is not a field of spec.schema.fields';
  const kind = field.type.kind;
  if (kind !== 'int' && kind !== 'bigint') {
    return `is a ${kind} field: the snapshot version must be an int or bigint field`;
  }
  if (field.nullable) {
    return 'is nullable: every record carries its snapshot version, so the field must be non-nullable (nullable: false)';
  }
  return null;
}

/** A table feed's topic should not be compacted: a warning, as producers could still key their end markers. */
function compactionChecks(feed: FeedSpec): Issue[] {
  const policy = feed.topic.configs[CLEANUP_POLICY];
  if (policy === undefined || !policy.split(',').includes('compact')) return [];
  const message = `spec.topic.configs["${CLEANUP_POLICY}"] "${policy}" compacts the topic of a table feed: Kafka refuses records without a key there (such as end markers), and compaction leaves old versions' rows behind; prefer delete with a retention.ms longer than a snapshot takes to publish`;
  return [warningAt(['spec', 'topic', 'configs', CLEANUP_POLICY], message)];
}
