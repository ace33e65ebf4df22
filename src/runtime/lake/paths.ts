/**
 * Lake paths and file names (pure). Every path here is relative to the lake root and uses `/`.
 *
 * - streams: `streams/<feed>/year=YYYY/month=MM/day=DD/` by the UTC date of the event time;
 * - tables:  `tables/<feed>/version=N/` (full snapshots), staged under `tables/<feed>/_staging/version=N/` until
 *   published, and `tables/<feed>/_latest.json` naming the latest published version;
 * - a data file: `p<partition>-<firstOffset>-<lastOffset>-<topicHash8>.parquet`, deterministic, so a replay of the
 *   same records yields the same name, and the topic hash keeps files of a renamed topic apart;
 * - feedctl's own state lives under `_feedctl/` (staging and commit records), which no reader glob matches; a
 *   partition's commit records are numbered files `<seq>.json`, zero-padded so that names sort like numbers.
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

/** Where a version's files are written until it is published by renaming this folder to {@link tableDir}. */
export function stagedTableDir(feed: string, version: number): string {
  return `tables/${feed}/_staging/version=${version}`;
}

/** The object written last into a published version's folder: the version is complete (Hadoop's convention). */
export const VERSION_COMPLETE = '_SUCCESS';

/** The marker naming a table feed's latest published version. */
export function latestMarker(feed: string): string {
  return `tables/${feed}/_latest.json`;
}

/** Hex sha256 of a topic name. */
export function topicHash(topic: string): string {
  return createHash('sha256').update(topic).digest('hex');
}

/** The final name of the file holding offsets `first..last` of a topic partition. */
export function dataFileName(topic: string, partition: number, first: number, last: number): string {
  return `p${partition}-${first}-${last}-${topicHash(topic).slice(0, 8)}.parquet`;
}

/** Where feedctl keeps a feed's per-partition state, relative to the root: staging folder, commit records folder,
 *  and the single record file of lakes written before commit records were numbered. */
export function statePaths(
  feed: string,
  topic: string,
  partition: number,
): { staging: string; commits: string; legacy: string } {
  const key = `${topicHash(topic).slice(0, 16)}-p${partition}`;
  const commits = `_feedctl/commits/${feed}/${key}`;
  return { staging: `_feedctl/staging/${feed}/${key}`, commits, legacy: `${commits}.json` };
}

const SEQ_WIDTH = 12;
const RECORD = new RegExp(`^(\\d{${SEQ_WIDTH},})\\.json$`);
const TEMPORARY = new RegExp(`^(\\d{${SEQ_WIDTH},})\\.json\\..*\\.tmp$`);
const STAGING = new RegExp(`^(\\d{${SEQ_WIDTH},})-[0-9a-z]+$`);

/** The file name of commit record number `seq` (a safe integer ≥ 0). */
export function recordName(seq: number): string {
  return `${pad(seq, SEQ_WIDTH)}.json`;
}

/** The sequence number of a commit record file name, or null for any other name. */
export function recordSeq(name: string): number | null {
  return seqOf(RECORD, name);
}

/** The record number a temporary `<record name>.<anything>.tmp` was written for, or null for any other name. */
export function temporarySeq(name: string): number | null {
  return seqOf(TEMPORARY, name);
}

/** The name of the staging folder of a writer's files that are to be committed by record `seq`. */
export function stagingName(seq: number, writer: string): string {
  return `${pad(seq, SEQ_WIDTH)}-${writer}`;
}

/** The record number a staging folder name targets, or null for any other name (e.g. from before numbering). */
export function stagingSeq(name: string): number | null {
  return seqOf(STAGING, name);
}

function seqOf(re: RegExp, name: string): number | null {
  const m = re.exec(name);
  const seq = m ? Number(m[1]) : Number.NaN;
  return Number.isSafeInteger(seq) ? seq : null;
}
