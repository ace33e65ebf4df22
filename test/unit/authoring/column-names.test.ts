/** The column authoring gives a message property that cannot be a column itself. */
import { describe, expect, it } from 'vitest';
import { columnFor, columnProblem } from '../../../src/authoring/column-names.js';

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
