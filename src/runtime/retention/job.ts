/**
 * The retention job: for every feed feedctl manages (or the ones named), plans what its policy expires and, unless
 * it is a dry run or the policy says `auto_delete: false`, deletes it. One run at a time across every worker and
 * CLI, under a MySQL named lock; a dry run takes no lock. A disabled feed's data is kept (reported as skipped):
 * disabling a feed stops its ingestion, it never starts deleting what it holds.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../../config/config.js';
import type { Pool, RowDataPacket } from '../../clients/mysql.js';
import { causeText, FeedctlError } from '../../errors.js';
import { logger } from '../../log.js';
import { lockName } from '../../sql/locks.js';
import { deleteItem } from './apply.js';
import type { LakeStore } from '../lake/store.js';
import { retentionStore } from './lake-scan.js';
import { planStream, planTable, type PlanContext, type RetentionItem } from './plan.js';
import { retentionFeeds, type RetentionFeed } from './targets.js';

export interface FeedRetention {
  feed: string;
  type: 'stream' | 'table';
  policy: { days: number | null; versions: number | null; autoDelete: boolean };
  /** `delete`: applied (or would be, in a dry run); `report`: auto_delete is off; `skipped`: not looked at. */
  action: 'delete' | 'report' | 'skipped';
  items: RetentionItem[];
  skipped: string[];
  /** Items deleted (0 in a dry run or a report). */
  deleted: number;
  error: string | null;
}

export interface RetentionReport {
  runId: string;
  dryRun: boolean;
  at: string;
  feeds: FeedRetention[];
  totals: { files: number; bytes: number; rows: number };
}

export interface RetentionDeps {
  config: Config;
  db: Pool;
}

export interface RetentionOptions {
  dryRun: boolean;
  /** Only these feeds (all managed feeds when empty). */
  feeds?: string[];
  nowMs?: number;
  /** Workers: give up at once when another run holds the lock (CLI: wait a little, then fail). */
  lockWaitSeconds?: number;
  /** Stops the run between two delete batches (a worker stopping); what is left goes in the next run. */
  signal?: AbortSignal;
}

const log = logger('retention');

/** Runs retention; resolves with its report, or null when another run holds the lock (workers only). */
export async function runRetention(
  deps: RetentionDeps,
  opts: RetentionOptions,
): Promise<RetentionReport | null> {
  const feeds = await chosenFeeds(deps.db, opts.feeds ?? []);
  if (opts.dryRun) return retain(deps, feeds, opts);
  const lock = lockName(deps.config.mysql.database, 'retention');
  const conn = await deps.db.getConnection();
  try {
    const [got] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS ok', [
      lock,
      opts.lockWaitSeconds ?? 0,
    ]);
    if (Number(got[0]?.ok) !== 1) return null;
    try {
      return await retain(deps, feeds, opts);
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  } finally {
    conn.release();
  }
}

async function chosenFeeds(db: Pool, names: string[]): Promise<RetentionFeed[]> {
  const all = await retentionFeeds(db);
  const unknown = names.filter((n) => !all.some((f) => f.name === n));
  if (unknown.length > 0) {
    throw new FeedctlError('VALIDATION_FAILED', `not a feed feedctl manages: ${unknown.join(', ')}`, {
      subsystem: 'retention',
      action: 'choose feeds',
    });
  }
  return names.length === 0 ? all : all.filter((f) => names.includes(f.name));
}

async function retain(
  deps: RetentionDeps,
  feeds: RetentionFeed[],
  opts: RetentionOptions,
): Promise<RetentionReport> {
  const store = await retentionStore(deps.config.lake);
  const nowMs = opts.nowMs ?? Date.now();
  const ctx: PlanContext = { db: deps.db, store, nowMs, graceMs: deps.config.retention.graceSeconds * 1000 };
  const runId = randomUUID();
  const report: RetentionReport = {
    runId,
    dryRun: opts.dryRun,
    at: new Date(nowMs).toISOString(),
    feeds: [],
    totals: { files: 0, bytes: 0, rows: 0 },
  };
  for (const f of feeds) {
    if (opts.signal?.aborted) break;
    const r = await retainFeed(f, ctx, { ...deps, runId, store, dryRun: opts.dryRun, signal: opts.signal });
    report.feeds.push(r);
    for (const i of r.items) {
      report.totals.files += i.files;
      report.totals.bytes += i.bytes;
      report.totals.rows += i.rows;
    }
  }
  log.info(
    { runId, dryRun: opts.dryRun, feeds: report.feeds.length, ...report.totals },
    'retention run finished',
  );
  return report;
}

async function retainFeed(
  f: RetentionFeed,
  ctx: PlanContext,
  run: RetentionDeps & { runId: string; store: LakeStore; dryRun: boolean; signal?: AbortSignal },
): Promise<FeedRetention> {
  const base = {
    feed: f.name,
    type: f.type,
    policy: { days: f.days, versions: f.versions, autoDelete: f.autoDelete },
  };
  if (!f.enabled) {
    return {
      ...base,
      action: 'skipped',
      items: [],
      skipped: ['feed disabled: its data is kept'],
      deleted: 0,
      error: null,
    };
  }
  const out: FeedRetention = {
    ...base,
    action: f.autoDelete ? 'delete' : 'report',
    items: [],
    skipped: [],
    deleted: 0,
    error: null,
  };
  try {
    const plan = f.type === 'stream' ? await planStream(f, ctx) : await planTable(f, ctx);
    Object.assign(out, plan);
    if (run.dryRun || !f.autoDelete) return out;
    const { batchRows, pauseMs } = run.config.retention;
    const apply = { db: run.db, store: run.store, runId: run.runId, batchRows, pauseMs, signal: run.signal };
    for (const item of plan.items) {
      if (run.signal?.aborted) break;
      await deleteItem(f.name, item, apply);
      out.deleted += 1;
    }
  } catch (err) {
    out.error = causeText(err);
    log.error({ feed: f.name, err: out.error }, 'retention failed for a feed');
  }
  return out;
}
