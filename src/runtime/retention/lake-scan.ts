/**
 * Retention's view of the lake (read-only), over the lake's store (a folder or an object store): the folders it
 * may delete, found under paths it computes itself from the feed name, never from user globs. On a filesystem,
 * symbolic links are never followed: a link where a partition folder should be is reported and left alone, and
 * links inside a folder count as entries (removing the folder removes the link, never its target).
 */
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { LakeConfig } from '../../config/lake.js';
import { FeedctlError } from '../../errors.js';
import { openStore } from '../lake/open-store.js';
import { tableDir, utcDay } from '../lake/paths.js';
import { fsStore } from '../lake/store-fs.js';
import type { FolderSize, LakeStore } from '../lake/store.js';

/** A folder retention may delete, relative to the lake root, with what it holds. */
export interface LakeFolder extends FolderSize {
  rel: string;
}

/** The lake's store for retention; a folder root is resolved first, and refused where deleting would be a disaster. */
export async function retentionStore(lake: LakeConfig): Promise<LakeStore> {
  return lake.s3 ? openStore(lake) : fsStore(await safeRoot(lake.root));
}

/** The lake root, resolved; refuses a root whose deletion would be a disaster (`/`, the home folder). */
export async function safeRoot(root: string): Promise<string> {
  const real = await realpath(root).catch(() => path.resolve(root));
  const refused = [path.parse(real).root, homedir(), path.dirname(homedir())].map((p) => path.resolve(p));
  if (refused.includes(real)) {
    throw new FeedctlError('CONFIG_INVALID', `lake.root ${real} is not a place retention deletes in`, {
      subsystem: 'retention',
      action: 'check lake root',
      id: real,
    });
  }
  return real;
}

/** A stream feed's day folders: `streams/<feed>/year=YYYY/month=MM/day=DD`, with their UTC day numbers. */
export async function streamDays(
  store: LakeStore,
  feed: string,
  skipped: string[],
): Promise<Array<LakeFolder & { day: number }>> {
  const out: Array<LakeFolder & { day: number }> = [];
  const base = `streams/${feed}`;
  for (const y of await dirs(store, base, /^year=(\d{4})$/, skipped)) {
    for (const m of await dirs(store, `${base}/${y}`, /^month=(\d{2})$/, skipped)) {
      for (const d of await dirs(store, `${base}/${y}/${m}`, /^day=(\d{2})$/, skipped)) {
        const rel = `${base}/${y}/${m}/${d}`;
        const day = utcDay(Date.UTC(Number(y.slice(5)), Number(m.slice(6)) - 1, Number(d.slice(4))));
        const size = await store.measure(rel);
        if (size) out.push({ rel, ...size, day });
      }
    }
  }
  return out.sort((a, b) => a.day - b.day);
}

/** A table feed's folder of one version (published, or staged when `staged`), or null when it is not a folder. */
export async function versionFolder(
  store: LakeStore,
  feed: string,
  version: number,
  staged: boolean,
  skipped: string[],
): Promise<LakeFolder | null> {
  const parent = staged ? `tables/${feed}/_staging` : `tables/${feed}`;
  const name = `version=${version}`;
  const rel = staged ? `${parent}/${name}` : tableDir(feed, version);
  const { folders, others } = await store.entries(parent);
  if (others.includes(name)) skipped.push(`${rel}: not a folder (a symbolic link?), left alone`);
  if (!folders.includes(name)) return null;
  const size = await store.measure(rel);
  return size && { rel, ...size };
}

/**
 * Whether a flush of the feed is in progress: a staged file under `_feedctl/staging/<feed>/` (a flush between its
 * staging and its publication; the day it will land in is not known until then).
 */
export async function flushInProgress(store: LakeStore, feed: string): Promise<boolean> {
  const base = `_feedctl/staging/${feed}`;
  for (const partition of (await store.entries(base)).folders) {
    for (const flush of (await store.entries(`${base}/${partition}`)).folders) {
      if ((await store.list(`${base}/${partition}/${flush}`)).length > 0) return true;
    }
  }
  return false;
}

/** Sub-folders of `rel` whose names match `re`; symbolic links and other entries are reported, never followed. */
async function dirs(store: LakeStore, rel: string, re: RegExp, skipped: string[]): Promise<string[]> {
  const { folders, others } = await store.entries(rel);
  for (const name of others.filter((n) => re.test(n)))
    skipped.push(`${rel}/${name}: not a folder (a symbolic link?), left alone`);
  return folders.filter((n) => re.test(n));
}
