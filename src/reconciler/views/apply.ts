/**
 * Creates, replaces and drops latest views (see ddl.ts), and records ownership of created or adopted ones. A run of
 * view creates is a batch: the CREATE VIEWs in sequence, then one ownership INSERT.
 */
import { untilFailure } from '../batch.js';
import { forgetOwnership, recordOwnership, recordOwnerships } from '../inventory/apply.js';
import type { Applier, BatchApplier } from '../apply.js';
import type { ViewState } from './desired.js';
import { createViewSql, dropViewSql } from './ddl.js';

export const applyView: Applier = async (ctx, change) => {
  if (change.action === 'delete') {
    const drop = dropViewSql(change.id);
    await ctx.db.query(drop.sql, drop.values);
    await forgetOwnership(ctx.db, 'view', change.id);
    return;
  }
  const stmt = createViewSql(change.id, change.after as ViewState);
  await ctx.db.query(stmt.sql, stmt.values);
  if (change.action === 'create' || change.action === 'adopt') {
    await recordOwnership(ctx.db, 'view', change.id, change.feed, change.action === 'adopt');
  }
};

/** View creates: DDL in sequence up to the first failure, then one ownership INSERT for the views created. */
export const batchViews: BatchApplier = {
  actions: ['create'],
  transactional: false,
  async apply(ctx, changes) {
    const outcome = await untilFailure(changes, async (change) => {
      const stmt = createViewSql(change.id, change.after as ViewState);
      await ctx.db.query(stmt.sql, stmt.values);
    });
    await recordOwnerships(
      ctx.db,
      'view',
      changes.slice(0, outcome.applied).map((c) => ({ id: c.id, feed: c.feed, adopted: false })),
    );
    return outcome;
  },
};
