import { describe, expect, it } from 'vitest';
import { KeyBatch } from '../../../../src/runtime/lake/batch.js';
import { arrowSchema, lakeColumns } from '../../../../src/runtime/lake/schema.js';
import { FIELDS, records } from './fixtures.js';

const columns = lakeColumns(FIELDS);

describe('day batch', () => {
  it('tracks rows, offset bounds and bytes, and turns into a table with lineage', () => {
    const batch = new KeyBatch(columns, 19782);
    expect(batch.bytes).toBe(0);
    for (const r of records(3, 10, 15)) batch.append(r, 1234);
    expect([batch.rows, batch.firstOffset, batch.lastOffset]).toEqual([5, 10, 14]);
    expect(batch.bytes).toBeGreaterThan(5 * 50);
    const table = batch.toTable(arrowSchema(columns));
    expect(table.numRows).toBe(5);
    const row = table.get(2)!.toJSON();
    expect(row).toMatchObject({
      id: 'id-12-é日🚀',
      _kafka_partition: 3,
      _kafka_offset: 12n,
      _ingested_at: 1234,
    });
  });

  it('refuses a record whose value count does not match the schema', () => {
    const [r] = records(0, 7, 8);
    const batch = new KeyBatch(columns, 0);
    expect(() => batch.append({ ...r!, values: r!.values.slice(1) }, 0)).toThrow(
      'lake: append record p0@7: 11 values for 12 fields',
    );
  });
});
