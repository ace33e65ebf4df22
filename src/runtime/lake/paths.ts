/**
 * Lake paths and file names (pure). Every path here is relative to the lake root and uses `/`.
 *
 * - streams: `streams/<feed>/year=YYYY/month=MM/day=DD/` by the UTC date of the event time;
 * - tables:  `tables/<feed>/version=N/` (full snapshots);
 * - a data file: `p<partition>-<firstOffset>-<lastOffset>-<topicHash8>.parquet`, deterministic, so a replay of the
 *   same records yields the same name, and the topic hash keeps files of a renamed topic apart;
 * - feedctl's own state lives under `_feedctl/` (staging and commit records), which no reader glob matches.
 */
import { createHash } from 'node:crypto';

export const MS_PER_DAY = 86_400_000;

/** The UTC day of an epoch-millisecond instant, as days since 1970-01-01 (negative before). */
export function utcDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `year=YYYY/month=MM/day=DD` of a day number. */
export function hivePartition(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  return `year=${pad(d.getUTCFullYear(), 4)}/month=${pad(d.getUTCMonth() + 1, 2)}/day=${pad(d.getUTCDate(), 2)}`;
}

/** The folder of a stream feed's files for one UTC day. */
export function streamDir(feed: string, day: number): string {
  return `streams/${feed}/${hivePartition(day)}`;
}

/** The folder of one snapshot of a table feed. */
export function tableDir(feed: string, version: number): string {
  return `tables/${feed}/version=${version}`;
}

/** Hex sha256 of a topic name. */
export function topicHash(topic: string): string {
  return createHash('sha256').update(topic).digest('hex');
}

/** The final name of the file holding offsets `first..last` of a topic partition. */
export function dataFileName(topic: string, partition: number, first: number, last: number): string {
  return `p${partition}-${first}-${last}-${topicHash(topic).slice(0, 8)}.parquet`;
}

/** Where feedctl keeps a feed's per-partition state: staging folder and commit record, relative to the root. */
export function statePaths(
  feed: string,
  topic: string,
  partition: number,
): { staging: string; commit: string } {
  const key = `${topicHash(topic).slice(0, 16)}-p${partition}`;
  return { staging: `_feedctl/staging/${feed}/${key}`, commit: `_feedctl/commits/${feed}/${key}.json` };
}
