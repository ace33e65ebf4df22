import { describe, expect, it } from 'vitest';
import type { RowDataPacket } from '../../../src/clients/mysql.js';
import type { RejectedRecord } from '../../../src/runtime/warehouse/rows.js';
import type { WarehouseBatch } from '../../../src/runtime/warehouse/sink.js';
import type { FieldValue } from '../../../src/runtime/record.js';
import { customerEvent, rec, useWarehouse } from './warehouse-fixture.js';

const wh = useWarehouse('wh_data_err', { partitions: 1 });
const T = Date.UTC(2025, 6, 4, 12, 0, 0);

/** Records [from, to) of partition 0; `bad` overrides the values of some offsets. */
function batch(from: number, to: number, bad: Record<number, FieldValue[]> = {}): WarehouseBatch {
  const records = [];
  for (let o = from; o < to; o++) records.push(rec(0, o, T + o, bad[o] ?? customerEvent(`e${o}`, T + o)));
  return { partition: 0, records, nextOffset: to };
}

async function count(): Promise<number> {
  return Number((await wh.sql<RowDataPacket[]>('SELECT COUNT(*) AS n FROM fact_wh_feed'))[0]?.n);
}

describe('warehouse data errors', () => {
  it('stores the good rows of a chunk and hands the one MySQL rejects to beforeCommit, before the commit', async () => {
    const sink = wh.sink();
    await sink.loadOffsets([0]);
    const outOfRange = customerEvent('e1234', T + 1234, '12345678901234.00'); // decimal(15,2): 13 integer digits
    let seen: RejectedRecord[] = [];
    let visibleBeforeCommit = -1;
    const result = await sink.write([batch(0, 2500, { 1234: outOfRange })], async (rejected) => {
      seen = rejected;
      visibleBeforeCommit = await count();
    });
    expect(result).toEqual({ rows: 2499, rejected: 1 });
    expect(visibleBeforeCommit).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.record.offset).toBe(1234);
    expect(seen[0]?.failure).toEqual({
      stage: 'write',
      errorClass: 'OutOfRange',
      message: expect.stringMatching(/amount/),
    });
    expect(await count()).toBe(2499);
    const stored = await wh.sql<RowDataPacket[]>("SELECT 1 FROM fact_wh_feed WHERE event_id = 'e1234'");
    expect(stored).toHaveLength(0);
    expect(await wh.storedOffsets()).toEqual({ 0: 2500 });
  });

  it('classes several kinds of rejected rows (JS range checks and MySQL errors)', async () => {
    const sink = wh.sink();
    await sink.loadOffsets([0]);
    const tooLong = ['e2501', 'c', 'x'.repeat(33), '1.00', 1, T]; // event is varchar(32)
    const year10000 = customerEvent('e2502', Date.UTC(10000, 0, 1)); // rejected before MySQL
    const intTooBig = ['e2503', 'c', 'purchase', '1.00', 2 ** 31, T]; // int
    let seen: RejectedRecord[] = [];
    const result = await sink.write(
      [batch(2500, 2600, { 2501: tooLong, 2502: year10000, 2503: intTooBig })],
      async (rejected) => void (seen = rejected),
    );
    expect(result).toEqual({ rows: 97, rejected: 3 });
    expect(seen.map((r) => [r.record.offset, r.failure.errorClass]).sort()).toEqual([
      [2501, 'DataTooLong'],
      [2502, 'OutOfRange'],
      [2503, 'OutOfRange'],
    ]);
    expect(await count()).toBe(2499 + 97);
  });

  it('commits nothing when beforeCommit throws, and the sink stays usable', async () => {
    const sink = wh.sink();
    await sink.loadOffsets([0]);
    const dlqDown = new Error('dead-letter topic unreachable');
    const bad = { 2650: customerEvent('e2650', T, '12345678901234.00') };
    const before = await count();
    await expect(
      sink.write([batch(2600, 2700, bad)], async () => {
        throw dlqDown;
      }),
    ).rejects.toBe(dlqDown);
    expect(await count()).toBe(before);
    expect(await wh.storedOffsets()).toEqual({ 0: 2600 });

    expect(await sink.write([batch(2600, 2700, bad)], async () => undefined)).toEqual({
      rows: 99,
      rejected: 1,
    });
    expect(await count()).toBe(before + 99);
    expect(await wh.storedOffsets()).toEqual({ 0: 2700 });
  });
});
