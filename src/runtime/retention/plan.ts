/**
 * What retention would delete, per feed (reads only): the lake folders and warehouse rows past each policy.
 * - Streams keep `retention.days` UTC event days, today included: a day folder before the cut-off goes, unless
 *   something in it was written within the grace period (a late flush may still be landing); warehouse rows with
 *   `snapshot_date` before the cut-off go.
 * - Tables keep the newest `retention.versions` published versions per destination. An older one goes once the
 *   version whose publication pushed it out has been published for the grace period (readers of it finish); the
 *   version `_latest.json` names, and open or sealed versions, never go. Incomplete versions below the newest
 *   published one go after the grace period too (their staged files and rows are never published).
 */
import type { Pool, RowDataPacket } from '../../clients/mysql.js';
import { SNAPSHOT_LEDGER as L } from '../../shape.js';
import { quoteIdent } from '../../sql/ident.js';
import { stagedTableDir, tableDir, utcDay } from '../lake/paths.js';
import { formatDate } from '../warehouse/values.js';
import type { LakeStore } from '../lake/store.js';
import { readLatest } from '../lake/version.js';
import { flushInProgress, streamDays, versionFolder } from './lake-scan.js';
import type { RetentionFeed } from './targets.js';

export type ItemKind = 'lake partition' | 'lake version' | 'warehouse rows';

/** One thing retention deletes. */
export interface RetentionItem {
  destination: 'lake' | 'warehouse';
  kind: ItemKind;
  /** A lake folder relative to the root, or `<table> snapshot_date=D` / `<table> snapshot_version=N`. */
  target: string;
  /** Streams: the UTC day (`YYYY-MM-DD`); tables: the version. */
  day?: string;
  version?: number;
  files: number;
  bytes: number;
  rows: number;
  /** Streams: the first day kept; tables: the oldest version kept. */
  cutoff: string;
}

export interface PlanContext {
  db: Pool;
  store: LakeStore;
  nowMs: number;
  graceMs: number;
}

export interface FeedPlan {
  items: RetentionItem[];
  /** What was left alone and why (recent writes, symbolic links, grace periods). */
  skipped: string[];
}

export async function planStream(f: RetentionFeed, c: PlanContext): Promise<FeedPlan> {
  const out: FeedPlan = { items: [], skipped: [] };
  if (f.days === null) return out;
  const cutoffDay = utcDay(c.nowMs) - (f.days - 1);
  if (f.lake) await planStreamLake(f, cutoffDay, c, out);
  if (f.table !== null) await planStreamWarehouse(f.table, cutoffDay, c, out);
  return out;
}

/** Day folders before the cut-off, unless a flush is landing or one was written within the grace period. */
async function planStreamLake(
  f: RetentionFeed,
  cutoffDay: number,
  c: PlanContext,
  out: FeedPlan,
): Promise<void> {
  if (await flushInProgress(c.store, f.name)) {
    out.skipped.push(`streams/${f.name}: a lake flush is in progress, its days are left for the next run`);
    return;
  }
  for (const d of await streamDays(c.store, f.name, out.skipped)) {
    if (d.day >= cutoffDay) continue;
    if (c.nowMs - d.newestMs < c.graceMs) {
      out.skipped.push(`${d.rel}: written within the grace period, kept for now`);
      continue;
    }
    const { rel: target, files, bytes } = d;
    const day = formatDate(d.day);
    out.items.push({
      destination: 'lake',
      kind: 'lake partition',
      target,
      day,
      files,
      bytes,
      rows: 0,
      cutoff: formatDate(cutoffDay),
    });
  }
}

/** Rows of each `snapshot_date` before the cut-off. */
async function planStreamWarehouse(
  table: string,
  cutoffDay: number,
  c: PlanContext,
  out: FeedPlan,
): Promise<void> {
  const cutoff = formatDate(cutoffDay);
  const [rows] = await c.db.query<RowDataPacket[]>(
    `SELECT DATE_FORMAT(snapshot_date, '%Y-%m-%d') AS d, COUNT(*) AS n FROM ${quoteIdent(table)}
     WHERE snapshot_date < ? GROUP BY snapshot_date ORDER BY snapshot_date`,
    [cutoff],
  );
  for (const r of rows) {
    const day = String(r.d);
    const target = `${table} snapshot_date=${day}`;
    out.items.push({
      destination: 'warehouse',
      kind: 'warehouse rows',
      target,
      day,
      files: 0,
      bytes: 0,
      rows: Number(r.n),
      cutoff,
    });
  }
}

export interface LedgerVersion {
  version: number;
  state: string;
  publishedMs: number | null;
  updatedMs: number;
}

export async function planTable(f: RetentionFeed, c: PlanContext): Promise<FeedPlan> {
  const out: FeedPlan = { items: [], skipped: [] };
  if (f.versions === null) return out;
  if (f.lake) await planTableLake(f, f.versions, c, out);
  if (f.table !== null) await planTableWarehouse(f, f.table, f.versions, c, out);
  return out;
}

/** The versions of a destination that may go (descending), per the rules in the module comment. */
async function expiredVersions(
  f: RetentionFeed,
  destination: string,
  keep: number,
  c: PlanContext,
  skipped: string[],
): Promise<{ gone: LedgerVersion[]; cutoff: string }> {
  const [rows] = await c.db.query<RowDataPacket[]>(
    `SELECT version, state, UNIX_TIMESTAMP(published_at) * 1000 AS p, UNIX_TIMESTAMP(updated_at) * 1000 AS u
     FROM ${L.snapshots} WHERE feed_name = ? AND destination = ? AND state IN ('published', 'incomplete')
     ORDER BY version DESC`,
    [f.name, destination],
  );
  const all = rows.map((r) => ({
    version: Number(r.version),
    state: String(r.state),
    publishedMs: r.p === null ? null : Number(r.p),
    updatedMs: Number(r.u),
  }));
  return expiredOf(all, keep, c.nowMs, c.graceMs, destination, skipped);
}

/**
 * The versions that may go, ascending, from the destination's published and incomplete ones (pure): published ones
 * beyond the newest `keep` whose pusher (the version `keep` places newer) was published at least `graceMs` ago;
 * incomplete ones below the newest published, untouched for `graceMs`. Kept ones in their grace go to `skipped`.
 */
export function expiredOf(
  versions: readonly LedgerVersion[],
  keep: number,
  nowMs: number,
  graceMs: number,
  destination: string,
  skipped: string[],
): { gone: LedgerVersion[]; cutoff: string } {
  const desc = [...versions].sort((a, b) => b.version - a.version);
  const published = desc.filter((v) => v.state === 'published');
  const gone: LedgerVersion[] = [];
  published.forEach((v, i) => {
    if (i < keep) return;
    const pushedOutAt = published[i - keep]?.publishedMs ?? nowMs;
    if (nowMs - pushedOutAt >= graceMs) gone.push(v);
    else skipped.push(`${destination} version ${v.version}: in its grace period, kept for now`);
  });
  const newest = published[0]?.version ?? 0;
  for (const v of desc.filter((x) => x.state === 'incomplete' && x.version < newest)) {
    if (nowMs - v.updatedMs >= graceMs) gone.push(v);
  }
  const oldestKept = published[Math.min(keep, published.length) - 1]?.version;
  const cutoff = oldestKept === undefined ? 'none' : `version ${oldestKept}`;
  return { gone: gone.sort((a, b) => a.version - b.version), cutoff };
}

async function planTableLake(f: RetentionFeed, keep: number, c: PlanContext, out: FeedPlan): Promise<void> {
  const { gone, cutoff } = await expiredVersions(f, 'lake', keep, c, out.skipped);
  const latest = (await readLatest(c.store, f.name))?.version ?? null;
  for (const v of gone) {
    if (v.version === latest) {
      out.skipped.push(`lake version ${v.version}: named by _latest.json, never deleted`);
      continue;
    }
    const staged = v.state !== 'published';
    const folder = await versionFolder(c.store, f.name, v.version, staged, out.skipped);
    const rel = folder?.rel ?? (staged ? stagedTableDir(f.name, v.version) : tableDir(f.name, v.version));
    out.items.push({
      destination: 'lake',
      kind: 'lake version',
      target: rel,
      version: v.version,
      files: folder?.files ?? 0,
      bytes: folder?.bytes ?? 0,
      rows: 0,
      cutoff,
    });
  }
}

async function planTableWarehouse(
  f: RetentionFeed,
  table: string,
  keep: number,
  c: PlanContext,
  out: FeedPlan,
): Promise<void> {
  const { gone, cutoff } = await expiredVersions(f, 'warehouse', keep, c, out.skipped);
  if (gone.length === 0) return;
  const [rows] = await c.db.query<RowDataPacket[]>(
    `SELECT snapshot_version AS v, COUNT(*) AS n FROM ${quoteIdent(table)} WHERE snapshot_version IN (?) GROUP BY snapshot_version`,
    [gone.map((v) => v.version)],
  );
  const counts = new Map(rows.map((r) => [Number(r.v), Number(r.n)]));
  for (const v of gone) {
    out.items.push({
      destination: 'warehouse',
      kind: 'warehouse rows',
      target: `${table} snapshot_version=${v.version}`,
      version: v.version,
      files: 0,
      bytes: 0,
      rows: counts.get(v.version) ?? 0,
      cutoff,
    });
  }
}
