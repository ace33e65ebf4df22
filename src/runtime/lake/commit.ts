/**
 * The lake's exactly-once commit protocol for one topic partition, on the filesystem.
 *
 * A flush (1) writes each file into its writer's own staging folder `_feedctl/staging/…/<writer>/` (same
 * filesystem as the lake) and fsyncs it and the folder; (2) atomically replaces the partition's commit record
 * `{topic, partition, nextOffset, files, writer}` (tmp file, fsync, rename, fsync folder) — the commit point; (3)
 * renames each staged file to its final path and fsyncs the folders. Recovery reads the record, rolls forward any
 * listed file still in the recorded writer's folder, deletes every other staged file (flushes that never
 * committed) and returns `nextOffset`. A crash before (2) loses only staged files, whose
 * records are re-read from the old `nextOffset`; a crash after (2) is finished by recovery. The record only ever
 * lists the last flush: step (3) is durable before the next flush replaces it. Only final files end in
 * `.parquet`, so readers never see staged or temporary files.
 *
 * Remaining hazard: a zombie — a worker that lost the partition in a rebalance but is still mid-flush — can race
 * the new owner on a shared filesystem: there is no compare-and-swap on files, so its rename in (2) may still land
 * after the new owner recovered and consumed, duplicating records. What narrows it: the consumer discards buffers
 * on revocation (nothing left to flush); each writer stages in its own folder, so a zombie never overwrites the
 * new owner's staged files (at worst it duplicates, never corrupts); (2) first re-reads the record and refuses to
 * commit unless `nextOffset` is still what this sink last recorded (fencing: a new owner that committed anything
 * wins), which leaves only the window between that read and the rename; and the new owner's recovery deletes the
 * zombie's staged files, so a zombie that has not yet committed fails in (3). Closing it fully needs a fencing token checked by the storage
 * (object-store conditional writes) or Kafka transactions.
 */
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { FeedctlError } from '../../errors.js';

/** A partition's durable lake progress. Invariant: every file in `files` is final or still staged, never lost. */
export interface CommitRecord {
  topic: string;
  partition: number;
  /** The next offset to consume: every record below it is in a final (or listed, staged) file, or dead-lettered. */
  nextOffset: number;
  /** Final paths of the last flush, relative to the lake root. */
  files: string[];
  /** The writer whose staging folder holds `files` until they are published. */
  writer: string;
}

/** Named points of a flush (and of recovery's roll-forward); tests throw from the fault hook to simulate a crash. */
export type FlushStep = 'stage-file' | 'staged' | 'commit-tmp' | 'committed' | 'publish-file' | 'published';

/** Called after each step; production passes none. */
export type FaultHook = (step: FlushStep) => void;

/** Absolute locations of one partition's lake state. */
export interface PartitionState {
  root: string;
  topic: string;
  partition: number;
  /** Staging folder of this partition; each writer stages in its own subfolder. */
  staging: string;
  /** This sink instance's id (random): its staging subfolder. */
  writer: string;
  /** Commit record file. */
  commit: string;
}

/** A file to stage: its final path relative to the root, and its bytes. */
export interface StagedFile {
  path: string;
  bytes: Uint8Array;
}

const noFaults: FaultHook = () => {};

/** The partition's commit record, or null when it never committed. */
export async function readCommit(p: PartitionState): Promise<CommitRecord | null> {
  let text: string;
  try {
    text = await readFile(p.commit, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const r = parseRecord(text);
  if (!r || r.topic !== p.topic || r.partition !== p.partition) {
    throw stateError(p, 'commit record is unreadable or belongs to another topic partition', 'corrupt');
  }
  return r;
}

/** Step 1: writes every file durably into the staging folder. */
export async function stage(p: PartitionState, files: StagedFile[], faults = noFaults): Promise<void> {
  const dir = path.join(p.staging, p.writer);
  await mkdirDurable(dir);
  for (const f of files) {
    await writeDurable(stagedPath(p, f.path), f.bytes);
    faults('stage-file');
  }
  await fsyncDir(dir);
  faults('staged');
}

/**
 * Step 2, the commit point: replaces the record atomically. `expected` is the `nextOffset` this sink last read or
 * wrote (null: none); a different one on disk means another worker owns the partition now (LAKE_STATE_INVALID).
 */
export async function commit(
  p: PartitionState,
  record: CommitRecord,
  expected: number | null,
  faults = noFaults,
): Promise<void> {
  const onDisk = (await readCommit(p))?.nextOffset ?? null;
  if (onDisk !== expected) {
    throw stateError(
      p,
      `commit record moved to ${onDisk} (expected ${expected}): partition fenced`,
      'fenced',
    );
  }
  await mkdirDurable(path.dirname(p.commit));
  const tmp = `${p.commit}.${p.writer}.tmp`; // per writer, like staging: a zombie cannot interleave its bytes
  await writeDurable(tmp, new TextEncoder().encode(`${JSON.stringify(record)}\n`));
  faults('commit-tmp');
  await rename(tmp, p.commit);
  await fsyncDir(path.dirname(p.commit));
  faults('committed');
}

/**
 * Step 3: moves each listed file still in `p.writer`'s staging folder to its final path. Returns the listed files
 * found nowhere.
 */
export async function publish(p: PartitionState, files: string[], faults = noFaults): Promise<string[]> {
  const missing: string[] = [];
  for (const rel of files) {
    const staged = stagedPath(p, rel);
    const final = path.join(p.root, rel);
    if (!(await exists(staged))) {
      if (!(await exists(final))) missing.push(rel);
      continue;
    }
    await mkdirDurable(path.dirname(final));
    await rename(staged, final);
    await fsyncDir(path.dirname(final));
    faults('publish-file');
  }
  await fsyncDir(path.join(p.staging, p.writer)).catch(ignoreMissing);
  faults('published');
  return missing;
}

/** What recovery found and did. */
export interface Recovery {
  nextOffset: number | null;
  /** Committed files moved from staging to their final path. */
  rolledForward: string[];
  /** Committed files found neither staged nor final (removed by someone else, e.g. retention). */
  missing: string[];
  /** Staged files of flushes that never committed, deleted. */
  discarded: string[];
}

/** Finishes a committed flush, deletes uncommitted staged files; idempotent, so a crash inside is recovered too. */
export async function recover(p: PartitionState, faults = noFaults): Promise<Recovery> {
  const record = await readCommit(p);
  const files = record?.files ?? [];
  const committed = { ...p, writer: record?.writer ?? p.writer };
  const staged = new Set(await listDir(path.join(committed.staging, committed.writer)));
  const rolledForward = files.filter((f) => staged.has(path.basename(stagedPath(committed, f))));
  const missing = files.length > 0 ? await publish(committed, files, faults) : [];
  const discarded: string[] = [];
  for (const writer of await listDir(p.staging)) {
    const dir = path.join(p.staging, writer);
    discarded.push(...(await listDir(dir)).map((name) => `${writer}/${name}`));
    await rm(dir, { force: true, recursive: true });
  }
  const tmpPrefix = `${path.basename(p.commit)}.`;
  for (const name of await listDir(path.dirname(p.commit))) {
    if (name.startsWith(tmpPrefix) && name.endsWith('.tmp'))
      await rm(path.join(path.dirname(p.commit), name));
  }
  if (discarded.length > 0) await fsyncDir(p.staging);
  return { nextOffset: record?.nextOffset ?? null, rolledForward, missing, discarded };
}

function stagedPath(p: PartitionState, rel: string): string {
  return path.join(p.staging, p.writer, `${path.basename(rel)}.staged`);
}

function parseRecord(text: string): CommitRecord | null {
  try {
    const r = JSON.parse(text) as Partial<CommitRecord> | null;
    const ok =
      typeof r?.topic === 'string' &&
      Number.isSafeInteger(r.partition) &&
      Number.isSafeInteger(r.nextOffset) &&
      Array.isArray(r.files) &&
      r.files.every((f) => typeof f === 'string') &&
      typeof r.writer === 'string' &&
      /^[0-9a-z]+$/.test(r.writer);
    return ok ? (r as CommitRecord) : null;
  } catch {
    return null;
  }
}

function stateError(p: PartitionState, detail: string, reason: string): FeedctlError {
  return new FeedctlError('LAKE_STATE_INVALID', detail, {
    subsystem: 'lake',
    action: 'commit',
    id: `${p.topic}/${p.partition}`,
    context: { reason, commit: p.commit },
  });
}

async function writeDurable(file: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** mkdir -p, then fsyncs the parent of every folder it created so the new entries survive a power loss. */
async function mkdirDurable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; ; d = path.dirname(d)) {
    await fsyncDir(path.dirname(d));
    if (d === first || d === path.dirname(d)) break;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? false : Promise.reject(err)),
  );
}

async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch((err: NodeJS.ErrnoException) =>
    err.code === 'ENOENT' ? [] : Promise.reject(err),
  );
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
