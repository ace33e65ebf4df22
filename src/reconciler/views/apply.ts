/** Creates, replaces and drops latest views (see ddl.ts), and records ownership of created or adopted ones. */
import { forgetOwnership, recordOwnership } from '../inventory/apply.js';
import type { Applier } from '../apply.js';
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
