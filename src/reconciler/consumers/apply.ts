/**
 * Writes the consumer rows workers converge to; the row carries the full normalized spec the consumers run. New
 * feeds' rows are batched: one multi-row upsert for a run of creates.
 */
import { internalError } from '../../errors.js';
import type { Applier, BatchApplier } from '../apply.js';
import type { ReconcileContext } from '../context.js';
import type { Change } from '../plan/types.js';

const COLUMNS = '(feed_name, generation, spec_hash, spec, lake_enabled, warehouse_enabled)';
const ON_DUPLICATE = `ON DUPLICATE KEY UPDATE generation = VALUES(generation),
     spec_hash = VALUES(spec_hash), spec = VALUES(spec), lake_enabled = VALUES(lake_enabled),
     warehouse_enabled = VALUES(warehouse_enabled)`;
/** Rows per multi-row statement. */
const ROWS_PER_STATEMENT = 500;

function rowOf(ctx: ReconcileContext, change: Change): unknown[] {
  const feed = ctx.feeds.get(change.id);
  if (!feed) throw internalError('consumers', `apply ${change.id}`, 'no manifest for this feed');
  const after = change.after as { generation: number; specHash: string; destinations: string[] };
  return [
    change.id,
    after.generation,
    after.specHash,
    JSON.stringify(feed),
    after.destinations.includes('lake'),
    after.destinations.includes('warehouse'),
  ];
}

async function upsert(ctx: ReconcileContext, changes: Change[]): Promise<void> {
  for (let i = 0; i < changes.length; i += ROWS_PER_STATEMENT) {
    const chunk = changes.slice(i, i + ROWS_PER_STATEMENT);
    await ctx.db.query(
      `INSERT INTO feedctl_consumers ${COLUMNS} VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} ${ON_DUPLICATE}`,
      chunk.flatMap((c) => rowOf(ctx, c)),
    );
  }
}

export const applyConsumer: Applier = async (ctx, change) => {
  if (change.action === 'delete') {
    await ctx.db.query('DELETE FROM feedctl_consumers WHERE feed_name = ?', [change.id]);
    return;
  }
  await upsert(ctx, [change]);
};

/** New feeds' consumer rows in multi-row upserts (a transactional batch: MySQL rows only). */
export const batchConsumers: BatchApplier = {
  actions: ['create'],
  transactional: true,
  async apply(ctx, changes) {
    await upsert(ctx, changes);
    return { applied: changes.length, error: null };
  },
};
