/**
 * Applies table, column and index changes as DDL (see ddl.ts), then records ownership of created/adopted tables.
 * A run of table creates is a batch: the CREATE TABLEs one after the other on the run's connection (DDL cannot share
 * a statement), then the ownership of those created in one multi-row INSERT.
 */
import type { Statement } from '../../shape.js';
import { untilFailure } from '../batch.js';
import { forgetOwnership, recordOwnership, recordOwnerships } from '../inventory/apply.js';
import type { Applier, BatchApplier } from '../apply.js';
import type { Change } from '../plan/types.js';
import type { ColumnDef, IndexDef, TableDef } from './desired.js';
import * as ddl from './ddl.js';

/** `table.member` → [table, member]. Table names never contain a dot. */
function split(id: string): [string, string] {
  const dot = id.indexOf('.');
  return [id.slice(0, dot), id.slice(dot + 1)];
}

function statementFor(change: Change): Statement | null {
  const after = change.after as Record<string, unknown> | null;
  if (change.kind === 'table') {
    if (change.action === 'create')
      return ddl.createTableSql({ name: change.id, ...(after as Omit<TableDef, 'name'>) });
    return change.action === 'delete' ? ddl.dropTableSql(change.id) : null;
  }
  const [table, name] = split(change.id);
  if (change.kind === 'column') {
    const col = { name, ...(after as Omit<ColumnDef, 'name'>) };
    if (change.action === 'create')
      return ddl.addColumnSql(table, col, (after?.placeAfter as string | null) ?? null);
    return change.action === 'delete' ? ddl.dropColumnSql(table, name) : ddl.modifyColumnSql(table, col);
  }
  const index = { name, ...(after as Omit<IndexDef, 'name'>) };
  if (change.action === 'create') return ddl.addIndexSql(table, index);
  return change.action === 'delete' ? ddl.dropIndexSql(table, name) : ddl.replaceIndexSql(table, index);
}

export const applyTable: Applier = async (ctx, change) => {
  const stmt = statementFor(change);
  if (stmt) await ctx.db.query(stmt.sql, stmt.values);
  if (change.kind !== 'table') return;
  if (change.action === 'create' || change.action === 'adopt') {
    await recordOwnership(ctx.db, 'table', change.id, change.feed, change.action === 'adopt');
  } else if (change.action === 'delete') {
    await forgetOwnership(ctx.db, 'table', change.id);
  }
};

/** Table creates: DDL in sequence up to the first failure, then one ownership INSERT for the tables created. */
export const batchTables: BatchApplier = {
  actions: ['create'],
  transactional: false,
  async apply(ctx, changes) {
    const outcome = await untilFailure(changes, async (change) => {
      const stmt = statementFor(change);
      if (stmt) await ctx.db.query(stmt.sql, stmt.values);
    });
    const created = changes.slice(0, outcome.applied);
    await recordOwnerships(
      ctx.db,
      'table',
      created.map((c) => ({ id: c.id, feed: c.feed, adopted: false })),
    );
    return outcome;
  },
};
