/**
 * The lake's exactly-once commit protocol for one topic partition, over a {@link LakeStore}.
 *
 * A partition's commit records are an append-only sequence of files `<commits>/<seq>.json`, each
 * `{topic, partition, nextOffset, files, writer, counts?}` (commit-record.ts); the partition's state is the
 * highest one. A record is only ever written with `createExclusive` (POSIX: a durable temporary, then link(), which fails with EEXIST atomically;
 * later on an object store: `If-None-Match: *`), so of the workers that read record S at most one creates S+1.
 *
 * A flush that last read or wrote record S (1) writes its files into its own staging folder
 * `_feedctl/staging/…/<S+1>-<writer>/` and makes them durable; (2) creates record S+1 listing them — the commit
 * point. If S+1 exists another worker moved first: this one is fenced (LAKE_STATE_INVALID, reason `fenced`) and
 * its staged files never become visible. (3) It moves each staged file to its final path, then (4) deletes the
 * records before S. The newest record only lists the last flush: its files are final before a next record exists.
 *
 * Recovery reads the highest record S and rolls its files forward (idempotent; a zombie publishing the same files
 * meanwhile is harmless: a file already moved is final). It then claims the partition by creating S+1 = {same
 * nextOffset, no files, its own writer}. If S+1 exists (a zombie committed first) it starts over from the new
 * highest record, so the zombie's files are rolled forward, not lost. Only after its claim C does it delete the
 * staging folders and temporaries made for records ≤ C: none of them can be committed any more, so this loses
 * nothing, and a worker that claimed after it keeps its own.
 *
 * So a zombie — a worker that lost the partition in a rebalance, unaware, mid-flush — either commits before the
 * new owner's claim (its flush counts; the new owner resumes after it) or is fenced. Pruning old records would let
 * a very late zombie re-create a deleted number, so a record counts only if a listing right after its creation
 * shows it the highest (the highest number never decreases). No window remains on a local POSIX filesystem. On
 * NFS link() is atomic on the server, but a client may answer that listing from its attribute cache: a zombie more
 * than two records behind can then publish duplicates unless the mount revalidates folders (`noac`); a retransmitted
 * link whose reply was lost may report EEXIST for one's own record, which only fences that worker (its staged
 * files stay and the next recovery rolls them forward). A crash before (2) loses only staged files, re-read from
 * the old offset; recovery finishes one after (2), and is itself idempotent. Only final files end in `.parquet`,
 * so readers never see staged ones.
 *
 * Upgrade: a lake written before numbered records has one record file `<commits>.json`, read as record 0 while
 * the folder holds no record and deleted after the first numbered one. A worker of that older version still
 * running during the upgrade is not fenced by this protocol.
 */
import path from 'node:path';
import { FeedctlError } from '../../errors.js';
import { recordName, recordSeq, stagingName, stagingSeq, temporarySeq } from './paths.js';
import { parseRecord, type CommitRecord } from './commit-record.js';
import type { LakeStore } from './store.js';

export { parseRecord, type CommitRecord } from './commit-record.js';

/** Named points of a flush and of recovery; tests throw from the fault hook to simulate a crash, or await another
 *  worker's move to interleave with it. */
export type FlushStep =
  | 'stage-file'
  | 'staged'
  | 'commit-tmp'
  | 'committed'
  | 'publish-file'
  | 'published'
  | 'claim-tmp'
  | 'claimed';

/** Called after each step; production passes none. */
export type FaultHook = (step: FlushStep) => void | Promise<void>;

/** One partition's lake state in a store; every path is relative to the lake root. */
export interface PartitionState {
  store: LakeStore;
  topic: string;
  partition: number;
  /** Staging folder of this partition; each writer stages each flush in its own subfolder. */
  staging: string;
  /** This sink instance's id (random): part of its staging subfolders' names. */
  writer: string;
  /** Folder of the numbered commit records. */
  commits: string;
  /** The single record file of a lake written before records were numbered. */
  legacy: string;
}

/** A file to stage: its final path relative to the root, and its bytes. */
export interface StagedFile {
  path: string;
  bytes: Uint8Array;
}

/** The partition's newest commit record (null: never committed) and its number (0: legacy record, or none). */
export interface Head {
  seq: number;
  record: CommitRecord | null;
}

const noFaults: FaultHook = () => {};
/** Bounds the retries when records keep appearing under a reader: only competing workers make them. */
const ATTEMPTS = 5;
/** Records kept: the newest and the one before (for inspection); older ones are garbage. */
const KEEP = 2;

/** The partition's newest commit record. */
export async function readHead(p: PartitionState): Promise<Head> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const seq = await highestSeq(p);
    const record = await readRecord(p, seq === 0 ? p.legacy : `${p.commits}/${recordName(seq)}`);
    if (record || seq === 0) return { seq, record };
    // deleted as garbage after we listed it: newer records exist now
  }
  throw contended(p);
}

/** Step 1: writes every file durably into this writer's staging folder for record `seq`. */
export async function stage(
  p: PartitionState,
  seq: number,
  files: StagedFile[],
  faults = noFaults,
): Promise<void> {
  for (const f of files) {
    await p.store.put(stagedPath(p, seq, p.writer, f.path), f.bytes);
    await faults('stage-file');
  }
  await p.store.sync(stagingDir(p, seq, p.writer));
  await faults('staged');
}

/** Step 2, the commit point: creates record `seq`, or throws LAKE_STATE_INVALID (fenced) when another worker has. */
export async function commit(
  p: PartitionState,
  seq: number,
  record: CommitRecord,
  faults = noFaults,
): Promise<void> {
  if (!(await createRecord(p, seq, record, 'commit-tmp', faults))) {
    throw stateError(p, `commit record ${seq} exists already: partition fenced`, 'fenced');
  }
  await faults('committed');
}

/**
 * Step 3: moves each file of record `seq` still staged by its writer to its final path. Returns the files moved,
 * and those found nowhere (removed by someone else, e.g. retention).
 */
export async function publish(
  p: PartitionState,
  seq: number,
  record: Pick<CommitRecord, 'files' | 'writer'>,
  faults = noFaults,
): Promise<{ moved: string[]; missing: string[] }> {
  const moved: string[] = [];
  const missing: string[] = [];
  for (const rel of record.files) {
    if (await p.store.move(stagedPath(p, seq, record.writer, rel), rel)) {
      moved.push(rel);
      await faults('publish-file');
    } else if (!(await p.store.exists(rel))) {
      missing.push(rel); // else another worker published it first
    }
  }
  await p.store.sync(stagingDir(p, seq, record.writer));
  await faults('published');
  return { moved, missing };
}

/** Step 4: deletes the records before the one preceding `seq`, and the legacy record. */
export async function prune(p: PartitionState, seq: number): Promise<void> {
  const old = (await listSeqs(p)).filter((s) => s <= seq - KEEP);
  for (const s of old) await p.store.remove(`${p.commits}/${recordName(s)}`);
  if (old.length > 0) await p.store.sync(p.commits);
  if (await p.store.exists(p.legacy)) {
    await p.store.remove(p.legacy);
    await p.store.sync(path.posix.dirname(p.legacy));
  }
}

/** What recovery found and did. */
export interface Recovery {
  nextOffset: number | null;
  /** The counts of the head record (empty when none). */
  counts: Record<string, number>;
  /** The number of this writer's claim: the record its next flush follows. */
  seq: number;
  /** Committed files moved from staging to their final path. */
  rolledForward: string[];
  /** Committed files found neither staged nor final (removed by someone else, e.g. retention). */
  missing: string[];
  /** Staged files of flushes that never committed (and never can), deleted. */
  discarded: string[];
}

/** Finishes the last committed flush, claims the partition, deletes what can never be committed; idempotent. */
export async function recover(p: PartitionState, faults = noFaults): Promise<Recovery> {
  const rolledForward: string[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const { seq, record } = await readHead(p);
    const { moved, missing } = record?.files.length
      ? await publish(p, seq, record, faults)
      : { moved: [], missing: [] };
    rolledForward.push(...moved);
    const nextOffset = record?.nextOffset ?? null;
    const counts = record?.counts ?? {};
    const claim: CommitRecord = {
      topic: p.topic,
      partition: p.partition,
      nextOffset,
      files: [],
      writer: p.writer,
    };
    if (record?.counts) claim.counts = counts;
    if (!(await createRecord(p, seq + 1, claim, 'claim-tmp', faults))) continue; // someone moved: start over
    await faults('claimed');
    const discarded = await discardBefore(p, seq + 1);
    await prune(p, seq + 1);
    return { nextOffset, counts, seq: seq + 1, rolledForward, missing, discarded };
  }
  throw contended(p);
}

/** Creates record `seq`; false when it exists, or is void because a higher one exists (see the module comment). */
async function createRecord(
  p: PartitionState,
  seq: number,
  record: CommitRecord,
  step: FlushStep,
  faults: FaultHook,
): Promise<boolean> {
  const bytes = new TextEncoder().encode(`${JSON.stringify(record)}\n`);
  const file = `${p.commits}/${recordName(seq)}`;
  if (!(await p.store.createExclusive(file, bytes, async () => faults(step)))) return false;
  return (await highestSeq(p)) === seq;
}

/** Deletes staging folders and record temporaries made for a record ≤ `claim` (or before records were numbered). */
async function discardBefore(p: PartitionState, claim: number): Promise<string[]> {
  const discarded: string[] = [];
  for (const name of await p.store.list(p.staging)) {
    if ((stagingSeq(name) ?? 0) > claim) continue;
    const dir = `${p.staging}/${name}`;
    discarded.push(...(await p.store.list(dir)).map((file) => `${name}/${file}`));
    await p.store.remove(dir);
  }
  await p.store.sync(p.staging);
  for (const name of await p.store.list(p.commits)) {
    const seq = temporarySeq(name);
    if (seq !== null && seq <= claim) await p.store.remove(`${p.commits}/${name}`);
  }
  const legacyDir = path.posix.dirname(p.legacy);
  const legacyTmp = `${path.posix.basename(p.legacy)}.`;
  for (const name of await p.store.list(legacyDir)) {
    if (name.startsWith(legacyTmp) && name.endsWith('.tmp')) await p.store.remove(`${legacyDir}/${name}`);
  }
  return discarded;
}

async function listSeqs(p: PartitionState): Promise<number[]> {
  const seqs = (await p.store.list(p.commits)).map(recordSeq);
  return seqs.filter((s): s is number => s !== null).sort((a, b) => a - b);
}

async function highestSeq(p: PartitionState): Promise<number> {
  return (await listSeqs(p)).at(-1) ?? 0;
}

async function readRecord(p: PartitionState, file: string): Promise<CommitRecord | null> {
  const bytes = await p.store.read(file);
  if (bytes === null) return null;
  const r = parseRecord(new TextDecoder().decode(bytes));
  // link() never exposes a partial record, so an unreadable one is damage: refuse to guess an offset
  if (!r || r.topic !== p.topic || r.partition !== p.partition) {
    throw stateError(
      p,
      `commit record ${file} is unreadable or belongs to another topic partition`,
      'corrupt',
    );
  }
  return r;
}

function stagingDir(p: PartitionState, seq: number, writer: string): string {
  return seq === 0 ? `${p.staging}/${writer}` : `${p.staging}/${stagingName(seq, writer)}`;
}

function stagedPath(p: PartitionState, seq: number, writer: string, rel: string): string {
  return `${stagingDir(p, seq, writer)}/${path.posix.basename(rel)}.staged`;
}

function contended(p: PartitionState): FeedctlError {
  return stateError(p, `commit records still moving after ${ATTEMPTS} attempts`, 'contended', true);
}

function stateError(p: PartitionState, detail: string, reason: string, retriable = false): FeedctlError {
  return new FeedctlError('LAKE_STATE_INVALID', detail, {
    subsystem: 'lake',
    action: 'commit',
    id: `${p.topic}/${p.partition}`,
    retriable,
    context: { reason, commits: p.commits },
  });
}
