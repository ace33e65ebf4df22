/**
 * Deleting what the retention plan lists, one item at a time, each audited (`audit_log`, actor `retention`):
 * lake folders are removed whole (links inside are removed, never followed); warehouse rows go in bounded
 * batches — one `DELETE … ORDER BY id LIMIT n` per autocommit transaction, with a pause between batches — so
 * writers of the same table never wait long and the undo log stays small; a table version's ledger rows become
 * `expired` once its data is gone.
 */
import type { Pool, ResultSetHeader } from '../../clients/mysql.js';
import { writeAudit } from '../../control/audit.js';
import { causeText, FeedctlError } from '../../errors.js';
import { SNAPSHOT_LEDGER as L } from '../../shape.js';
import { quoteIdent } from '../../sql/ident.js';
import type { LakeStore } from '../lake/store.js';
import type { RetentionItem } from './plan.js';

export interface ApplyContext {
  db: Pool;
  store: LakeStore;
  runId: string;
  batchRows: number;
  pauseMs: number;
  /** Stops a row deletion between two batches; the rest goes in the next run. */
  signal?: AbortSignal;
}

/** What deleting one item did. */
export interface Deleted {
  rows: number;
  batches: number;
  ms: number;
}

/** Deletes one item and audits it; a failure is audited too, then thrown. */
export async function deleteItem(feed: string, item: RetentionItem, c: ApplyContext): Promise<Deleted> {
  const started = Date.now();
  try {
    const done = item.destination === 'lake' ? await deleteFolder(item, c) : await deleteRows(item, c);
    if (item.version !== undefined && !c.signal?.aborted) await expire(feed, item, c);
    const result = { ...done, ms: Date.now() - started };
    await audit(feed, item, c, { ...summary(item), ...result }, null);
    return result;
  } catch (err) {
    await audit(feed, item, c, summary(item), causeText(err)).catch(() => undefined);
    throw err;
  }
}

async function deleteFolder(item: RetentionItem, c: ApplyContext): Promise<Omit<Deleted, 'ms'>> {
  const parts = item.target.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new FeedctlError('INTERNAL', `${item.target} is outside the lake root`, {
      subsystem: 'retention',
      action: 'delete lake folder',
      id: item.target,
    });
  }
  await c.store.remove(item.target);
  return { rows: 0, batches: 0 };
}

/** Rows of one day or version, in batches of at most `batchRows`, pausing between them. */
async function deleteRows(item: RetentionItem, c: ApplyContext): Promise<Omit<Deleted, 'ms'>> {
  const [table, where] = item.target.split(' ') as [string, string];
  const column = where.startsWith('snapshot_date=') ? 'snapshot_date' : 'snapshot_version';
  const value = item.day ?? item.version;
  const sql = `DELETE FROM ${quoteIdent(table)} WHERE ${column} = ? ORDER BY id LIMIT ?`;
  let rows = 0;
  let batches = 0;
  for (;;) {
    const [r] = await c.db.query<ResultSetHeader>(sql, [value, c.batchRows]);
    rows += r.affectedRows;
    batches += 1;
    if (r.affectedRows < c.batchRows || c.signal?.aborted) return { rows, batches };
    await new Promise((resolve) => setTimeout(resolve, c.pauseMs));
  }
}

async function expire(feed: string, item: RetentionItem, c: ApplyContext): Promise<void> {
  await c.db.query(
    `UPDATE ${L.snapshots} SET state = 'expired' WHERE feed_name = ? AND destination = ? AND version = ?
     AND state IN ('published', 'incomplete')`,
    [feed, item.destination, item.version],
  );
}

function summary(item: RetentionItem): Record<string, unknown> {
  const { kind, target, day, version, files, bytes, rows, cutoff } = item;
  return { kind, target, day, version, files, bytes, rows, cutoff };
}

async function audit(
  feed: string,
  item: RetentionItem,
  c: ApplyContext,
  after: Record<string, unknown>,
  error: string | null,
): Promise<void> {
  await writeAudit(c.db, {
    actor: 'retention',
    action: 'delete',
    kind: item.kind.replace(' ', '_'),
    id: `${feed}:${item.target}`.slice(0, 255),
    before: null,
    after: { feed, ...after },
    planId: c.runId,
    sourceRevision: null,
    outcome: error === null ? 'applied' : 'failed',
    error,
  });
}
