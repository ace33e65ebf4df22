/**
 * The warehouse sink's bulk path (LOAD DATA LOCAL INFILE into a temporary table, then one guarded INSERT … SELECT)
 * stores exactly what the multi-row path stores: the same writes go through `localInfile: 'on'` into one database
 * and `'off'` into another, and every column is compared as text. Also: rejected rows, and the fallback when the
 * server refuses LOAD DATA LOCAL INFILE.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMysqlPool, type RowDataPacket } from '../../../src/clients/mysql.js';
import type { FieldValue } from '../../../src/runtime/record.js';
import { loadPathStatus, resetLoadPath } from '../../../src/runtime/warehouse/load-path.js';
import type { RejectedRecord } from '../../../src/runtime/warehouse/rows.js';
import type { WarehouseBatch, WarehouseSink } from '../../../src/runtime/warehouse/sink.js';
import { field } from '../../helpers/feed-spec.js';
import { rec, useWarehouse, type WarehouseFixture } from './warehouse-fixture.js';

const FIELDS = [
  field('k', { kind: 'string', maxLength: 64 }),
  field('s', { kind: 'string', maxLength: 16 }, true),
  field('txt', { kind: 'string', maxLength: null }, true),
  field('i', { kind: 'int' }, true),
  field('big', { kind: 'bigint' }, true),
  field('f', { kind: 'float' }, true),
  field('d', { kind: 'double' }, true),
  field('dec', { kind: 'decimal', precision: 38, scale: 10 }, true),
  field('ok', { kind: 'boolean' }, true),
  field('day', { kind: 'date' }, true),
  field('doc', { kind: 'json' }, true),
  field('at', { kind: 'timestamp' }),
];
const spec = { fields: FIELDS, key: ['k'], eventTimeField: 'at', partitions: 2 };
const bulk = useWarehouse('wh_bulk_on', spec);
const multi = useWarehouse('wh_bulk_off', spec);
const T = Date.UTC(2025, 4, 6, 7, 8, 9, 10);
const HOUR = 3_600_000;

/** Every stored column as text (no id, created_at, updated_at), ordered by key. */
const SELECT =
  'SELECT k, s, txt, i, CAST(big AS CHAR) AS big, CAST(f AS CHAR) AS f, CAST(d AS CHAR) AS d,' +
  ' CAST(`dec` AS CHAR) AS `dec`, ok, CAST(day AS CHAR) AS day, doc, CAST(at AS CHAR) AS at,' +
  ' CAST(snapshot_date AS CHAR) AS sd, snapshot_version AS sv, CAST(_event_time AS CHAR) AS et,' +
  ' _kafka_partition AS p, CAST(_kafka_offset AS CHAR) AS o FROM fact_wh_feed ORDER BY k';

const TRICKY = [
  'tab\there',
  'new\nline',
  'cr\r\nlf',
  'back\\slash\\',
  '\\N',
  '\\',
  'nul\u0000byte',
  '',
  'emoji 🎉 👋🏽 and 日本語',
  'quote \' and " and `',
];

/** Values of key `k`, version `v`: every type, with the tricky strings cycling through. */
function values(k: string, v: number, at: number): FieldValue[] {
  const t = TRICKY[v % TRICKY.length] as string;
  if (v % 7 === 3) return [k, null, null, null, null, null, null, null, null, null, null, at];
  return [
    k,
    t.slice(0, 16),
    `${t} #${v}`,
    v % 2 === 0 ? -2147483648 + v : 2147483647 - v,
    v % 2 === 0 ? 9223372036854775807n - BigInt(v) : -9223372036854775808n + BigInt(v),
    Math.fround(1.5e-7 * (v + 1)),
    v === 5 ? -5e-324 : 1 / (v + 3),
    `${v % 2 === 0 ? '-' : ''}9999999999999999999999999999.${String(v).padStart(10, '0')}`,
    v % 2 === 0,
    -719162 + v * 700,
    JSON.stringify({ t, v, nested: [1, 2.5, null, 'ü☃'] }),
    at,
  ];
}

/**
 * Three writes of 1100 records over two partitions: 1000 keys in three versions at different event times, some
 * versions arriving after newer ones (they must not win), some keys repeated within the write.
 */
function writes(): WarehouseBatch[][] {
  const out: WarehouseBatch[][] = [];
  const offsets = [0, 0];
  for (let w = 0; w < 3; w++) {
    const byPartition: ReturnType<typeof rec>[][] = [[], []];
    for (let n = 0; n < 1000; n++) {
      const p = n % 2;
      const version = (w + n) % 3; // event time order differs from arrival order
      const key = `key-${String(n).padStart(4, '0')}`;
      byPartition[p]?.push(
        rec(p, offsets[p]!++, T + version * HOUR, values(key, w * 1000 + n, T + version * HOUR)),
      );
      if (n % 10 === 0) {
        // a second version of the key within the same write, newer or older
        const at = T + (n % 20 === 0 ? 5 : -5) * HOUR;
        byPartition[p]?.push(rec(p, offsets[p]!++, at, values(key, w * 1000 + n + 1, at)));
      }
    }
    out.push(byPartition.map((records, p) => ({ partition: p, records, nextOffset: offsets[p] as number })));
  }
  return out;
}

async function writeAll(f: WarehouseFixture, sink: WarehouseSink): Promise<void> {
  await sink.loadOffsets([0, 1]);
  for (const w of writes()) expect(await sink.write(w)).toEqual({ rows: 1100, rejected: 0 });
}

afterEach(() => resetLoadPath());

describe('warehouse bulk path', () => {
  it('stores exactly the rows the multi-row path stores (types, escapes, guard, repeated keys)', async () => {
    const pool = bulk.pool(1);
    await writeAll(bulk, bulk.sink({ pool, localInfile: 'on' }));
    await writeAll(multi, multi.sink({ localInfile: 'off' }));
    // the bulk path did run: its temporary table on the sink's only connection holds the last write
    const [loaded] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM feedctl_load_fact_wh_feed');
    expect(Number(loaded[0]?.n)).toBe(1100);

    const a = await bulk.sql<RowDataPacket[]>(SELECT);
    const b = await multi.sql<RowDataPacket[]>(SELECT);
    expect(a).toHaveLength(1000);
    expect(a).toEqual(b);
    // key-0000: +5 h in every write; equal event times → the highest offset (the last write) wins
    expect(a[0]).toMatchObject({ k: 'key-0000', et: '2025-05-06 12:08:09.010', txt: 'new\nline #2001' });
    // key-0010: its -5 h versions arrive after newer ones and never win; the newest is the second write's +2 h
    expect(a[10]).toMatchObject({
      k: 'key-0010',
      et: '2025-05-06 09:08:09.010',
      txt: expect.stringMatching(/#1010$/),
    });
    expect(await bulk.storedOffsets()).toEqual(await multi.storedOffsets());
  });

  it('rejects the rows MySQL rejects, stores the others, and keeps the offsets in the same transaction', async () => {
    const sink = bulk.sink({ localInfile: 'on' });
    await sink.loadOffsets([0, 1]);
    const start = (await bulk.storedOffsets())[0] ?? 0;
    const records = Array.from({ length: 2500 }, (_, n) =>
      rec(0, start + n, T, values(`rej-${String(n).padStart(4, '0')}`, n, T)),
    );
    records[10] = rec(0, start + 10, T, ['rej-long', 'x'.repeat(17), ...values('x', 0, T).slice(2)]);
    records[20] = rec(0, start + 20, T, [
      'rej-dec',
      null,
      null,
      null,
      null,
      null,
      null,
      '1e40',
      null,
      null,
      null,
      T,
    ]);
    records[30] = rec(0, start + 30, T, [
      'rej-json',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      '{',
      T,
    ]);
    let seen: RejectedRecord[] = [];
    const result = await sink.write([{ partition: 0, records, nextOffset: start + 2500 }], async (r) => {
      seen = r;
    });
    expect(result).toEqual({ rows: 2497, rejected: 3 });
    expect(seen.map((r) => r.record.offset - start).sort((x, y) => x - y)).toEqual([10, 20, 30]);
    const [n] = await bulk.sql<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM fact_wh_feed WHERE k LIKE 'rej-%'",
    );
    expect(Number(n?.n)).toBe(2497);
    expect((await bulk.storedOffsets())[0]).toBe(start + 2500);
  });

  it('falls back to multi-row upserts, once and for the process, when the server refuses LOAD DATA LOCAL', async () => {
    const sink = multi.sink({ localInfile: 'on' });
    await sink.loadOffsets([0, 1]);
    const start = (await multi.storedOffsets())[1] ?? 0;
    const batch = (from: number, n: number): WarehouseBatch => ({
      partition: 1,
      records: Array.from({ length: n }, (_, i) => rec(1, from + i, T, values(`ref-${from + i}`, i, T))),
      nextOffset: from + n,
    });
    const [before] = await multi.sql<RowDataPacket[]>('SELECT @@GLOBAL.local_infile AS v');
    try {
      await multi.sql('SET GLOBAL local_infile = 0'); // shared server: restored at once below
      expect(await sink.write([batch(start, 50)])).toEqual({ rows: 50, rejected: 0 });
    } finally {
      await multi.sql(`SET GLOBAL local_infile = ${Number(before?.v) ? 1 : 0}`);
    }
    expect(loadPathStatus()).toMatch(/^multi-row upserts \(LOAD DATA LOCAL INFILE refused: /);
    // later writes no longer try it
    expect(await sink.write([batch(start + 50, 50)])).toEqual({ rows: 50, rejected: 0 });
    const [n] = await multi.sql<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM fact_wh_feed WHERE k LIKE 'ref-%'",
    );
    expect(Number(n?.n)).toBe(100);
  });

  it('takes a user without the CREATE TEMPORARY TABLES privilege for a refusal, not a failed write', async () => {
    const user = `feedctl_notemp_${Math.random().toString(16).slice(2, 8)}`;
    const db = multi.env.config.mysql.database;
    await multi.sql(`CREATE USER '${user}'@'%' IDENTIFIED BY 'pw'`);
    try {
      await multi.sql(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${db}\`.* TO '${user}'@'%'`);
      const url = new URL(multi.env.config.mysql.url);
      url.username = user;
      url.password = 'pw';
      const pool = createMysqlPool(
        { ...multi.env.config, mysql: { ...multi.env.config.mysql, url: url.href } },
        1,
      );
      try {
        const sink = multi.sink({ pool, localInfile: 'on' });
        await sink.loadOffsets([0]);
        const start = (await multi.storedOffsets())[0] ?? 0;
        const records = Array.from({ length: 30 }, (_, i) => rec(0, start + i, T, values(`priv-${i}`, i, T)));
        expect(await sink.write([{ partition: 0, records, nextOffset: start + 30 }])).toEqual({
          rows: 30,
          rejected: 0,
        });
        expect(loadPathStatus()).toMatch(/refused: .*denied/i);
      } finally {
        await pool.end();
      }
    } finally {
      await multi.sql(`DROP USER IF EXISTS '${user}'@'%'`);
    }
    const [n] = await multi.sql<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM fact_wh_feed WHERE k LIKE 'priv-%'",
    );
    expect(Number(n?.n)).toBe(30);
  });

  it('never creates the temporary table when switched off', async () => {
    const pool = multi.pool(1);
    const sink = multi.sink({ pool, localInfile: 'off' });
    await sink.loadOffsets([0]);
    const start = (await multi.storedOffsets())[0] ?? 0;
    const records = Array.from({ length: 3000 }, (_, i) => rec(0, start + i, T, values(`off-${i}`, i, T)));
    expect(await sink.write([{ partition: 0, records, nextOffset: start + 3000 }])).toEqual({
      rows: 3000,
      rejected: 0,
    });
    await expect(pool.query('SELECT 1 FROM feedctl_load_fact_wh_feed')).rejects.toMatchObject({
      code: 'ER_NO_SUCH_TABLE',
    });
    expect(loadPathStatus()).not.toMatch(/refused/);
  });
});
