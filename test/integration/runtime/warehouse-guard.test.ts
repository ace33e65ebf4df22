import { describe, expect, it } from 'vitest';
import type { RowDataPacket } from '../../../src/clients/mysql.js';
import type { WarehouseSink } from '../../../src/runtime/warehouse/sink.js';
import type { DecodedRecord } from '../../../src/runtime/record.js';
import { customerEvent, rec, useWarehouse } from './warehouse-fixture.js';

const wh = useWarehouse('wh_guard');
const T = Date.UTC(2025, 2, 14, 10, 0, 0, 0);
const HOUR = 3_600_000;

/** One write per call; each partition's nextOffset just follows its highest record. */
async function write(sink: WarehouseSink, records: DecodedRecord[]) {
  const partitions = [...new Set(records.map((r) => r.partition))];
  return sink.write(
    partitions.map((p) => {
      const mine = records.filter((r) => r.partition === p);
      return { partition: p, records: mine, nextOffset: Math.max(...mine.map((r) => r.offset)) + 1 };
    }),
  );
}

async function row(id: string) {
  const rows = await wh.sql<RowDataPacket[]>(
    'SELECT customer_id, amount, CAST(_event_time AS CHAR) AS et, _kafka_partition AS p, _kafka_offset AS o,' +
      ' (SELECT COUNT(*) FROM fact_wh_feed WHERE event_id = ?) AS n FROM fact_wh_feed WHERE event_id = ?',
    [id, id],
  );
  const r = rows[0];
  return r && { amount: r.amount, et: r.et, partition: r.p, offset: Number(r.o), count: Number(r.n) };
}

const ev = (id: string, et: number, amount: string, partition = 0, offset = 0) =>
  rec(partition, offset, et, customerEvent(id, et, amount));

describe('warehouse out-of-order guard', () => {
  it('keeps newer data against older events, lower offsets and replays; newer events replace it', async () => {
    const sink = wh.sink();
    await sink.loadOffsets([0, 1]);
    await write(sink, [ev('k1', T, '2.00', 0, 50)]);

    await write(sink, [ev('k1', T - HOUR, '1.00', 0, 60)]);
    expect(await row('k1')).toMatchObject({ amount: '2.00', et: '2025-03-14 10:00:00.000', offset: 50 });

    await write(sink, [ev('k1', T, '1.50', 0, 49)]);
    expect(await row('k1')).toMatchObject({ amount: '2.00', offset: 50 });

    const replay = await write(sink, [ev('k1', T, '2.00', 0, 50)]);
    expect(replay).toEqual({ rows: 1, rejected: 0 });
    expect(await row('k1')).toEqual({
      amount: '2.00',
      et: '2025-03-14 10:00:00.000',
      partition: 0,
      offset: 50,
      count: 1,
    });

    await write(sink, [ev('k1', T + 1, '3.00', 1, 7)]);
    expect(await row('k1')).toEqual({
      amount: '3.00',
      et: '2025-03-14 10:00:00.001',
      partition: 1,
      offset: 7,
      count: 1,
    });
  });

  it('applies several versions of one key inside one multi-row statement in order, keeping the newest', async () => {
    const sink = wh.sink();
    await sink.loadOffsets([0, 1]);
    await write(sink, [
      ev('k2', T, '1.00', 0, 100),
      ev('k2', T + 2 * HOUR, '3.00', 0, 101),
      ev('k2', T + HOUR, '2.00', 0, 102),
      ev('k2', T + 2 * HOUR, '2.50', 0, 99),
      // newer event time from another partition with a much lower offset: _event_time must be assigned last,
      // or the offset's guard would see the new time and keep offset 101 (a row mixing two events)
      ev('k3', T, '1.00', 0, 500),
      ev('k3', T + HOUR, '9.00', 1, 5),
    ]);
    expect(await row('k2')).toEqual({
      amount: '3.00',
      et: '2025-03-14 12:00:00.000',
      partition: 0,
      offset: 101,
      count: 1,
    });
    expect(await row('k3')).toEqual({
      amount: '9.00',
      et: '2025-03-14 11:00:00.000',
      partition: 1,
      offset: 5,
      count: 1,
    });
  });

  it('replaces a row without lineage (written before feedctl adopted the table) by any record', async () => {
    // An adopted table gets nullable lineage columns; the runbook's rows have none.
    await wh.sql(
      'ALTER TABLE fact_wh_feed MODIFY _event_time DATETIME(3) NULL, MODIFY _kafka_partition INT NULL, MODIFY _kafka_offset BIGINT NULL',
    );
    const sink = wh.sink();
    await sink.loadOffsets([0, 1]);
    await write(sink, [ev('k9', T, '2.00', 0, 500)]);
    await wh.sql(
      "UPDATE fact_wh_feed SET amount = 9.99, _event_time = NULL, _kafka_partition = NULL, _kafka_offset = NULL WHERE event_id = 'k9'",
    );
    await write(sink, [ev('k9', T - HOUR, '1.00', 0, 501)]);
    expect(await row('k9')).toEqual({
      amount: '1.00',
      et: '2025-03-14 09:00:00.000',
      partition: 0,
      offset: 501,
      count: 1,
    });
  });
});
