/**
 * Writes registry and retention rows. A feed with a manifest gets its whole row upserted from the manifest, with the
 * generation the plan computed; a removed feed only gets the plan's fields (it is disabled). `created_by` is
 * written once, `updated_by` and `source_revision` on every write.
 */
import { internalError } from '../../errors.js';
import type { Applier } from '../apply.js';
import { registryRow, retentionRow, schemaDefinition } from './desired.js';

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function upsertSql(table: string, columns: string[], keep: string[]): string {
  const updates = columns.filter((c) => !keep.includes(c)).map((c) => `${c} = VALUES(${c})`);
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON DUPLICATE KEY UPDATE ${updates.join(', ')}`;
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
  const row = registryRow(feed) as unknown as Record<string, unknown>;
  const values: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(row).map(([k, v]) => [snake(k), v])),
    schema_definition: JSON.stringify(schemaDefinition(feed)),
    generation: after.generation,
    managed_by: 'feedctl',
    created_by: meta.actor,
    updated_by: meta.actor,
    source_revision: meta.sourceRevision,
  };
  const columns = Object.keys(values);
  await ctx.db.query(upsertSql('feed_registry', columns, ['feed_name', 'created_by']), Object.values(values));
};

export const applyRetention: Applier = async (ctx, change, meta) => {
  const feed = ctx.feeds.get(change.id);
  if (!feed) throw internalError('registry', `apply retention ${change.id}`, 'no manifest for this feed');
  const values: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(retentionRow(feed)).map(([k, v]) => [snake(k), v])),
    created_by: meta.actor,
    updated_by: meta.actor,
  };
  const columns = Object.keys(values);
  await ctx.db.query(
    upsertSql('data_retention_policies', columns, ['feed_name', 'created_by']),
    Object.values(values),
  );
};
