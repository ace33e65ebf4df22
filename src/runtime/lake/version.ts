/**
 * Publishing a table feed's snapshot version in the lake, over a {@link LakeStore}: the version's staging folder
 * `tables/<feed>/_staging/version=N/` (complete: every partition sealed it) is moved to `tables/<feed>/version=N/`
 * — in one rename on a filesystem, object by object on an object store — then the marker
 * `tables/<feed>/version=N/_SUCCESS` is written, last, and `tables/<feed>/_latest.json` is replaced (one atomic
 * write) when N is newer than the version it names. A reader that wants the latest version reads `_latest.json`
 * and exactly the files it lists; one that wants every complete version reads the `version=N` folders holding
 * `_SUCCESS`. Neither ever sees part of a version, on either backend. Idempotent: a publish interrupted anywhere
 * is finished by the next one (the marker is written only after every file is in place).
 */
import { FeedctlError } from '../../errors.js';
import { latestMarker, stagedTableDir, tableDir, VERSION_COMPLETE } from './paths.js';
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
  const final = tableDir(feed, version);
  const marker = `${final}/${VERSION_COMPLETE}`;
  if (!(await store.exists(marker))) {
    // A version whose partitions all sent nothing has no staged folder: its marker alone publishes it, empty.
    await store.move(stagedTableDir(feed, version), final);
    await store.put(marker, new Uint8Array());
  }
  const files = (await store.list(final))
    .filter((n) => n.endsWith('.parquet'))
    .sort()
    .map((n) => `${final}/${n}`);
  const current = await readLatest(store, feed);
  if (current === null || current.version < version) {
    const latest: LatestVersion = { version, rows, files, publishedAt: new Date().toISOString() };
    await store.replace(latestMarker(feed), new TextEncoder().encode(`${JSON.stringify(latest, null, 2)}\n`));
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
