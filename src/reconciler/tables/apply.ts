/** Applies table, column and index changes as DDL (see ddl.ts), then records ownership of created/adopted tables. */
import type { Statement } from '../../shape.js';
import { forgetOwnership, recordOwnership } from '../inventory/apply.js';
import type { Applier } from '../apply.js';
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
