/** Creates and drops roles, grants and revokes SELECT on feed tables and views. Identifiers are validated and quoted. */
import { quoteIdent } from '../../sql/ident.js';
import { forgetOwnership, recordOwnership } from '../inventory/apply.js';
import type { Applier } from '../apply.js';

export const applyRole: Applier = async (ctx, change) => {
  const role = quoteIdent(change.id);
  if (change.action === 'create') {
    await ctx.db.query(`CREATE ROLE IF NOT EXISTS ${role}`);
    await recordOwnership(ctx.db, 'role', change.id, null, false);
  } else if (change.action === 'delete') {
    await ctx.db.query(`DROP ROLE IF EXISTS ${role}`);
    await forgetOwnership(ctx.db, 'role', change.id);
  }
};

export const applyGrant: Applier = async (ctx, change) => {
  const state = (change.after ?? change.before) as { role: string; table?: string; view?: string };
  const relation = state.table ?? state.view ?? '';
  const target = `${quoteIdent(ctx.config.mysql.database)}.${quoteIdent(relation)}`;
  if (change.action === 'create')
    await ctx.db.query(`GRANT SELECT ON ${target} TO ${quoteIdent(state.role)}`);
  else if (change.action === 'delete')
    await ctx.db.query(`REVOKE SELECT ON ${target} FROM ${quoteIdent(state.role)}`);
};
