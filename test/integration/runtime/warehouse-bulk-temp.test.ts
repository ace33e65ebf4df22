/**
 * The bulk path's temporary table on pooled connections: a MEMORY table emptied when a write outgrows it, and a
 * table re-created for another sink instance (a new generation after the feed's table was altered).
 */
import { describe, expect, it } from 'vitest';
import type { RowDataPacket } from '../../../src/clients/mysql.js';
import type { WarehouseBatch } from '../../../src/runtime/warehouse/sink.js';
import { customerEvent, rec, useWarehouse } from './warehouse-fixture.js';

const wh = useWarehouse('wh_bulk_temp', { partitions: 1 });
const T = Date.UTC(2025, 8, 1);

function batch(from: number, n: number, prefix: string): WarehouseBatch {
  const records = Array.from({ length: n }, (_, i) =>
    rec(0, from + i, T + i, customerEvent(`${prefix}-${i}`, T + i, `${i}.25`)),
  );
  return { partition: 0, records, nextOffset: from + n };
}

async function count(prefix: string): Promise<number> {
  const [r] = await wh.sql<RowDataPacket[]>('SELECT COUNT(*) AS n FROM fact_wh_feed WHERE event_id LIKE ?', [
    `${prefix}-%`,
  ]);
  return Number(r?.n);
}

describe('warehouse bulk path temporary table', () => {
  it('stores a write larger than its MEMORY table holds (emptied between parts)', async () => {
    const pool = wh.pool(1);
    const sink = wh.sink({ pool, localInfile: 'on' });
    await sink.loadOffsets([0]);
    const start = (await wh.storedOffsets())[0] ?? 0;
    // ten of the keys are there already: the first part cannot go straight into the table, and the next ones
    // follow it through the temporary table (bulk.ts, DirectLoads)
    await sink.write([batch(start, 10, 'big')]);
    // customer_events rows take 758 bytes in MEMORY: 8 MiB hold 11,066 of them, so 14,000 need one emptying
    expect(await sink.write([batch(start + 10, 14_000, 'big')])).toEqual({ rows: 14_000, rejected: 0 });
    expect(await count('big')).toBe(14_000);
    const [amount] = await wh.sql<RowDataPacket[]>(
      "SELECT amount FROM fact_wh_feed WHERE event_id = 'big-13999'",
    );
    expect(amount?.amount).toBe('13999.25');
    const [engine] = await pool.query<RowDataPacket[]>('SHOW CREATE TABLE feedctl_load_fact_wh_feed');
    expect(String(engine[0]?.['Create Table'])).toMatch(/ENGINE=MEMORY/);
    // parts of 2500: four fill 10,000 rows, the fifth would pass 11,066 so the table is emptied first; it then
    // holds the fifth part and the last (1500 rows)
    const [held] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM feedctl_load_fact_wh_feed');
    expect(Number(held[0]?.n)).toBe(4000);
  });

  it('re-creates the temporary table for a new sink instance, with the columns of the altered table', async () => {
    const pool = wh.pool(1);
    const first = wh.sink({ pool, localInfile: 'on' });
    await first.loadOffsets([0]);
    const start = (await wh.storedOffsets())[0] ?? 0;
    await first.write([batch(start, 10, 'gen1')]);
    // the reconciler widens a column under a new generation; the new sink must not load into the old shape
    await wh.sql('ALTER TABLE fact_wh_feed MODIFY `event` VARCHAR(40) NOT NULL');
    const second = wh.sink({ pool, localInfile: 'on', generation: 2 });
    await second.loadOffsets([0]);
    const wide = batch(start + 10, 10, 'gen2');
    wide.records = wide.records.map((r) => ({
      ...r,
      values: [...r.values.slice(0, 2), 'e'.repeat(40), ...r.values.slice(3)],
    }));
    expect(await second.write([wide])).toEqual({ rows: 10, rejected: 0 });
    const [rows] = await pool.query<RowDataPacket[]>(
      "SELECT CHARACTER_MAXIMUM_LENGTH AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'fact_wh_feed' AND column_name = 'event'",
    );
    expect(Number(rows[0]?.n)).toBe(40);
    const [temp] = await pool.query<RowDataPacket[]>('SHOW CREATE TABLE feedctl_load_fact_wh_feed');
    expect(String(temp[0]?.['Create Table'])).toMatch(/`c2` varchar\(40\)/);
    expect(await count('gen2')).toBe(10);
  });
});
