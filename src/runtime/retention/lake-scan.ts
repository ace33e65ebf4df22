/**
 * Retention's view of the lake (read-only): the folders it may delete, found under paths it computes itself from
 * the feed name, never from user globs. Symbolic links are never followed: a link where a partition folder should
 * be is reported and left alone, and links inside a folder count as entries (removing the folder removes the link,
 * never its target).
 */
import { lstat, readdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { FeedctlError } from '../../errors.js';
import { tableDir, utcDay } from '../lake/paths.js';

/** A folder retention may delete, relative to the lake root, with what it holds. */
export interface LakeFolder {
  rel: string;
  files: number;
  bytes: number;
  /** Newest modification time of the folder or anything in it (ms). */
  newestMs: number;
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
  root: string,
  feed: string,
  skipped: string[],
): Promise<Array<LakeFolder & { day: number }>> {
  const out: Array<LakeFolder & { day: number }> = [];
  const base = `streams/${feed}`;
  for (const y of await dirs(root, base, /^year=(\d{4})$/, skipped)) {
    for (const m of await dirs(root, `${base}/${y}`, /^month=(\d{2})$/, skipped)) {
      for (const d of await dirs(root, `${base}/${y}/${m}`, /^day=(\d{2})$/, skipped)) {
        const rel = `${base}/${y}/${m}/${d}`;
        const day = utcDay(Date.UTC(Number(y.slice(5)), Number(m.slice(6)) - 1, Number(d.slice(4))));
        out.push({ ...(await measure(root, rel)), day });
      }
    }
  }
  return out.sort((a, b) => a.day - b.day);
}

/** A table feed's folder of one version (published, or staged when `staged`), or null when it is not a folder. */
export async function versionFolder(
  root: string,
  feed: string,
  version: number,
  staged: boolean,
  skipped: string[],
): Promise<LakeFolder | null> {
  const rel = staged ? `tables/${feed}/_staging/version=${version}` : tableDir(feed, version);
  const st = await lstat(path.join(root, rel)).catch(() => null);
  if (st === null) return null;
  if (!st.isDirectory()) {
    skipped.push(`${rel}: not a folder (a symbolic link?), left alone`);
    return null;
  }
  return measure(root, rel);
}

/**
 * Whether a flush of the feed is in progress: a staged file under `_feedctl/staging/<feed>/` (a flush between its
 * staging and its publication; the day it will land in is not known until then).
 */
export async function flushInProgress(root: string, feed: string): Promise<boolean> {
  const base = path.join(root, '_feedctl', 'staging', feed);
  for (const partition of await readdir(base, { withFileTypes: true }).catch(() => [])) {
    if (!partition.isDirectory()) continue;
    const flushes = await readdir(path.join(base, partition.name), { withFileTypes: true });
    for (const flush of flushes) {
      if (!flush.isDirectory()) continue;
      if ((await readdir(path.join(base, partition.name, flush.name))).length > 0) return true;
    }
  }
  return false;
}

/** Sub-folders of `rel` whose names match `re`; symbolic links and other entries are reported, never followed. */
async function dirs(root: string, rel: string, re: RegExp, skipped: string[]): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    if (!re.test(e.name)) continue;
    if (e.isDirectory()) out.push(e.name);
    else skipped.push(`${rel}/${e.name}: not a folder (a symbolic link?), left alone`);
  }
  return out.sort();
}

/** Files, bytes and newest modification time under a folder, without following links. */
async function measure(root: string, rel: string): Promise<LakeFolder> {
  const folder: LakeFolder = { rel, files: 0, bytes: 0, newestMs: 0 };
  const walk = async (abs: string): Promise<void> => {
    const st = await lstat(abs);
    folder.newestMs = Math.max(folder.newestMs, st.mtimeMs);
    if (!st.isDirectory()) {
      folder.files += 1;
      folder.bytes += st.size;
      return;
    }
    for (const name of await readdir(abs)) await walk(path.join(abs, name));
  };
  await walk(path.join(root, rel));
  return folder;
}
