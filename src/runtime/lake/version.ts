/**
 * Publishing a table feed's snapshot version in the lake, over a {@link LakeStore}: the version's staging folder
 * `tables/<feed>/_staging/version=N/` (complete: every partition sealed it) is renamed to `tables/<feed>/version=N/`
 * in one step, so `read_parquet('tables/<feed>/version=*' + '/*.parquet')` sees all of it or nothing; then
 * `tables/<feed>/_latest.json` is replaced atomically (a temporary, then a rename) when N is newer than the version
 * it names. Idempotent: a publish interrupted anywhere is finished by the next one.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { FeedctlError } from '../../errors.js';
import { latestMarker, stagedTableDir, tableDir } from './paths.js';
import type { LakeStore } from './store.js';

/** The content of `_latest.json`. */
export interface LatestVersion {
  version: number;
  rows: number;
  /** The version's Parquet files, relative to the lake root, sorted. */
  files: string[];
  publishedAt: string;
}

/** Moves version N into place and points `_latest.json` at it (unless a newer one is there); returns its folder. */
export async function publishVersion(
  store: LakeStore,
  feed: string,
  version: number,
  rows: number,
): Promise<string> {
  const staged = stagedTableDir(feed, version);
  const final = tableDir(feed, version);
  if (!(await store.exists(final))) {
    // A version whose partitions all sent nothing has no staged folder: it is published empty.
    if (!(await store.move(staged, final))) await store.put(`${final}/.empty`, new Uint8Array());
  }
  const files = (await store.list(final))
    .filter((n) => n.endsWith('.parquet'))
    .sort()
    .map((n) => `${final}/${n}`);
  const current = await readLatest(store, feed);
  if (current === null || current.version < version) {
    const latest: LatestVersion = { version, rows, files, publishedAt: new Date().toISOString() };
    await replace(store, latestMarker(feed), `${JSON.stringify(latest, null, 2)}\n`);
  }
  return final;
}

/** The version `_latest.json` names, or null when none was published. */
export async function readLatest(store: LakeStore, feed: string): Promise<LatestVersion | null> {
  const bytes = await store.read(latestMarker(feed));
  if (bytes === null) return null;
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as LatestVersion;
    if (Number.isSafeInteger(v.version)) return v;
  } catch {
    // fall through: a damaged marker is an error, never silently replaced by an older version
  }
  throw new FeedctlError('LAKE_STATE_INVALID', `${latestMarker(feed)} is not a version marker`, {
    subsystem: 'lake',
    action: 'read latest version',
    id: feed,
    context: { reason: 'corrupt' },
  });
}

/** Replaces a file atomically: readers see the old bytes or the new, never a mix. */
async function replace(store: LakeStore, file: string, text: string): Promise<void> {
  const tmp = `${path.posix.dirname(file)}/.${path.posix.basename(file)}.${randomBytes(6).toString('hex')}.tmp`;
  await store.put(tmp, new TextEncoder().encode(text));
  await store.move(tmp, file);
}
