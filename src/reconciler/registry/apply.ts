/**
 * Writes registry and retention rows. A feed with a manifest gets its whole row upserted from the manifest, with the
 * generation the plan computed; a removed feed only gets the plan's fields (it is disabled). `created_by` is
 * written once, `updated_by` and `source_revision` on every write. New feeds' rows are batched: one multi-row
 * upsert per table for a run of creates.
 */
import { internalError } from '../../errors.js';
import type { Connection } from '../../clients/mysql.js';
import type { FeedSpec } from '../../feeds/types.js';
import type { Applier, ApplyMeta, BatchApplier } from '../apply.js';
import type { Change } from '../plan/types.js';
import { registryRow, retentionRow, schemaDefinition } from './desired.js';

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function upsertSql(table: string, columns: string[], keep: string[], rows = 1): string {
  const updates = columns.filter((c) => !keep.includes(c)).map((c) => `${c} = VALUES(${c})`);
  const row = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')} ON DUPLICATE KEY UPDATE ${updates.join(', ')}`;
}

/** Rows per multi-row statement: their placeholders stay far below MySQL's 65,535. */
const ROWS_PER_STATEMENT = 500;

/** Upserts rows (objects of column → value) in multi-row statements, one per set of columns. */
async function upsertRows(
  db: Connection,
  table: string,
  rows: Array<Record<string, unknown>>,
): Promise<void> {
  const byColumns = new Map<string, Array<Record<string, unknown>>>();
  for (const r of rows) {
    const key = Object.keys(r).join(',');
    const same = byColumns.get(key);
    if (same) same.push(r);
    else byColumns.set(key, [r]);
  }
  for (const [key, same] of byColumns) {
    const columns = key.split(',');
    for (let i = 0; i < same.length; i += ROWS_PER_STATEMENT) {
      const chunk = same.slice(i, i + ROWS_PER_STATEMENT);
      const sql = upsertSql(table, columns, ['feed_name', 'created_by'], chunk.length);
      await db.query(
        sql,
        chunk.flatMap((r) => columns.map((c) => r[c])),
      );
    }
  }
}

function feedOf(ctx: { feeds: ReadonlyMap<string, FeedSpec> }, change: Change, what: string): FeedSpec {
  const feed = ctx.feeds.get(change.id);
  if (!feed) throw internalError('registry', `apply ${what} ${change.id}`, 'no manifest for this feed');
  return feed;
}

function registryValues(feed: FeedSpec, generation: unknown, meta: ApplyMeta): Record<string, unknown> {
  const row = registryRow(feed) as unknown as Record<string, unknown>;
  return {
    ...Object.fromEntries(Object.entries(row).map(([k, v]) => [snake(k), v])),
    schema_definition: JSON.stringify(schemaDefinition(feed)),
    generation,
    managed_by: 'feedctl',
    created_by: meta.actor,
    updated_by: meta.actor,
    source_revision: meta.sourceRevision,
  };
}

function retentionValues(feed: FeedSpec, meta: ApplyMeta): Record<string, unknown> {
  return {
    ...Object.fromEntries(Object.entries(retentionRow(feed)).map(([k, v]) => [snake(k), v])),
    created_by: meta.actor,
    updated_by: meta.actor,
  };
}

export const applyRegistry: Applier = async (ctx, change, meta) => {
  const feed = ctx.feeds.get(change.id);
  const after = (change.after ?? {}) as Record<string, unknown>;
  if (!feed) {
    const keys = Object.keys(after);
    await ctx.db.query(
      `UPDATE feed_registry SET ${keys.map((k) => `${snake(k)} = ?`).join(', ')}, updated_by = ?, source_revision = ? WHERE feed_name = ?`,
      [...keys.map((k) => after[k]), meta.actor, meta.sourceRevision, change.id],
    );
    return;
  }
  const values = registryValues(feed, after.generation, meta);
  await ctx.db.query(
    upsertSql('feed_registry', Object.keys(values), ['feed_name', 'created_by']),
    Object.values(values),
  );
};

export const applyRetention: Applier = async (ctx, change, meta) => {
  const values = retentionValues(feedOf(ctx, change, 'retention'), meta);
  await ctx.db.query(
    upsertSql('data_retention_policies', Object.keys(values), ['feed_name', 'created_by']),
    Object.values(values),
  );
};

/** New feeds' registry rows in multi-row upserts (a transactional batch: MySQL rows only). */
export const batchRegistry: BatchApplier = {
  actions: ['create'],
  transactional: true,
  async apply(ctx, changes, meta) {
    const rows = changes.map((c) =>
      registryValues(
        feedOf(ctx, c, 'registry'),
        (c.after as { generation?: unknown } | null)?.generation,
        meta,
      ),
    );
    await upsertRows(ctx.db, 'feed_registry', rows);
    return { applied: changes.length, error: null };
  },
};

/** New feeds' retention rows in multi-row upserts (a transactional batch). */
export const batchRetention: BatchApplier = {
  actions: ['create'],
  transactional: true,
  async apply(ctx, changes, meta) {
    const rows = changes.map((c) => retentionValues(feedOf(ctx, c, 'retention'), meta));
    await upsertRows(ctx.db, 'data_retention_policies', rows);
    return { applied: changes.length, error: null };
  },
};
