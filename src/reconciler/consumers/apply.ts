/** Writes the consumer rows workers converge to; the row carries the full normalized spec the consumers run. */
import { internalError } from '../../errors.js';
import type { Applier } from '../apply.js';

export const applyConsumer: Applier = async (ctx, change) => {
  if (change.action === 'delete') {
    await ctx.db.query('DELETE FROM feedctl_consumers WHERE feed_name = ?', [change.id]);
    return;
  }
  const feed = ctx.feeds.get(change.id);
  if (!feed) throw internalError('consumers', `apply ${change.id}`, 'no manifest for this feed');
  const after = change.after as { generation: number; specHash: string; destinations: string[] };
  await ctx.db.query(
    `INSERT INTO feedctl_consumers (feed_name, generation, spec_hash, spec, lake_enabled, warehouse_enabled)
     VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE generation = VALUES(generation),
     spec_hash = VALUES(spec_hash), spec = VALUES(spec), lake_enabled = VALUES(lake_enabled),
     warehouse_enabled = VALUES(warehouse_enabled)`,
    [
      change.id,
      after.generation,
      after.specHash,
      JSON.stringify(feed),
      after.destinations.includes('lake'),
      after.destinations.includes('warehouse'),
    ],
  );
};
