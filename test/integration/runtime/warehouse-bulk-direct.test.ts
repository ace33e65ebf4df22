/**
 * The bulk path's direct load: a part whose keys are all new goes straight into the feed's table (the temporary
 * table stays empty); a part that meets a key already there — in the table or earlier in the same load — is
 * rolled back alone (also in a transaction that began on an empty table), upserted through the temporary table with the out-of-order guard, and the parts before it in
 * the same transaction stay. Each database ends as the multi-row path leaves the same writes.
 */
import { describe, expect, it } from 'vitest';
import type { Pool, RowDataPacket } from '../../../src/clients/mysql.js';
import { BULK_PART_ROWS } from '../../../src/runtime/warehouse/bulk.js';
import type { WarehouseBatch } from '../../../src/runtime/warehouse/sink.js';
import { customerEvent, rec, useWarehouse } from './warehouse-fixture.js';

const direct = useWarehouse('wh_bulk_direct', { partitions: 1 });
const multi = useWarehouse('wh_bulk_direct_ref', { partitions: 1 });
const T = Date.UTC(2025, 9, 1);
const HOUR = 3_600_000;

/** Records from offset `from`: key `e-<k>` at event time `T + hours h` for each [k, hours]. */
function batch(from: number, events: [number, number][]): WarehouseBatch {
  const records = events.map(([k, h], i) =>
    rec(0, from + i, T + h * HOUR, customerEvent(`e-${k}`, T + h * HOUR, `${k}.${i % 100}`)),
  );
  return { partition: 0, records, nextOffset: from + events.length };
}

const range = (from: number, n: number, hours: number): [number, number][] =>
  Array.from({ length: n }, (_, i) => [from + i, hours]);

/** Keys 0..4999 (two parts, both new), then a part of keys 0..2499 again: newer for even keys, older for odd. */
const WRITES: [number, number][][] = [
  [
    ...range(0, 2 * BULK_PART_ROWS, 1),
    ...Array.from({ length: BULK_PART_ROWS }, (_, k): [number, number] => [k, k % 2 === 0 ? 2 : 0]),
  ],
  range(10_000, 100, 1),
];

const SELECT =
  'SELECT event_id, customer_id, CAST(amount AS CHAR) AS amount, CAST(_event_time AS CHAR) AS et,' +
  ' CAST(_kafka_offset AS CHAR) AS o FROM fact_wh_feed ORDER BY event_id';

describe('warehouse bulk path, direct load', () => {
  it('loads new keys straight into the table and upserts a part with known keys, keeping the parts before it', async () => {
    const pool = direct.pool(1);
    const sink = direct.sink({ pool, localInfile: 'on' });
    const ref = multi.sink({ localInfile: 'off' });
    await sink.loadOffsets([0]);
    await ref.loadOffsets([0]);
    const [first, second] = WRITES as [[number, number][], [number, number][]];
    // into the empty table: two parts straight in, the third (known keys) alone through the temporary table
    expect(await sink.write([batch(0, first)])).toEqual({ rows: first.length, rejected: 0 });
    await ref.write([batch(0, first)]);
    expect(await tempRows(pool)).toBe(BULK_PART_ROWS);
    // new keys right after: the sink waits a few parts before it tries the direct load again
    expect(await sink.write([batch(first.length, second)])).toEqual({ rows: second.length, rejected: 0 });
    await ref.write([batch(first.length, second)]);
    expect(await tempRows(pool)).toBe(second.length);

    const a = await direct.sql<RowDataPacket[]>(SELECT);
    const b = await multi.sql<RowDataPacket[]>(SELECT);
    expect(a).toHaveLength(2 * BULK_PART_ROWS + second.length);
    expect(a).toEqual(b);
    // key 2 came again two hours later and won; key 3 came again an hour earlier and did not
    const byKey = new Map(a.map((r) => [r.event_id, r]));
    expect(byKey.get('e-2')).toMatchObject({
      et: '2025-10-01 02:00:00.000',
      o: String(2 * BULK_PART_ROWS + 2),
    });
    expect(byKey.get('e-3')).toMatchObject({ et: '2025-10-01 01:00:00.000', o: '3' });
    expect(await direct.storedOffsets()).toEqual({ 0: first.length + second.length });
  });
});

async function tempRows(pool: Pool): Promise<number> {
  const [r] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM feedctl_load_fact_wh_feed');
  return Number(r[0]?.n);
}
