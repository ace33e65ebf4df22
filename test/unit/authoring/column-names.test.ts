/** The column authoring gives a message property that cannot be a column itself. */
import { describe, expect, it } from 'vitest';
import { columnFor, columnProblem, uniqueColumns } from '../../../src/authoring/column-names.js';

describe('columnFor', () => {
  it.each([
    ['customer_id', undefined],
    ['timestamp', undefined],
    ['id', 'source_id'],
    ['created_at', 'source_created_at'],
    ['_event_time', 'event_time'],
    ['year', 'source_year'],
    ['order', 'source_order'],
    ['customerId', 'customer_id'],
    ['order-id', 'order_id'],
    ['ID', 'source_id'],
    ['--', null],
  ])('%s → %s', (property, column) => {
    expect(columnFor(property)).toBe(column);
  });

  it('says why a name cannot be a column', () => {
    expect(columnProblem('order')).toMatch(/reserved word/);
    expect(columnProblem('snapshot_date')).toMatch(/feedctl adds/);
    expect(columnProblem('field1')).toBeNull();
  });
});

describe('unique columns', () => {
  it('gives a mapped field another column when a property already has it, case-insensitively', () => {
    const s = { kind: 'string', maxLength: 16 } as const;
    const fields = uniqueColumns([
      { name: 'customerId', column: 'customer_id', type: s, nullable: false },
      { name: 'customer_id', type: s, nullable: false },
      { name: 'Name', column: 'name', type: s, nullable: false },
      { name: 'NAME', column: 'name', type: s, nullable: false },
      { name: 'name', type: s, nullable: false },
    ]);
    expect(fields.map((f) => f.column ?? f.name)).toEqual([
      'source_customer_id',
      'customer_id',
      'source_name',
      'name_2',
      'name',
    ]);
    expect(fields[0]?.note).toBe("column customer_id is another field's: stored as source_customer_id");
  });
});
