import { describe, expect, it } from 'vitest';
import { utcDay } from '../../../src/runtime/lake/paths.js';
import { useTestEnv } from '../../helpers/env.js';
import { duck, lit } from '../../helpers/duckdb.js';
import { feedSpec, records, valuesAt } from '../../unit/runtime/lake/fixtures.js';
import { consume, expectExactlyOnce, filesUnder, openSink, streamGlob, TOPIC } from './lake-harness.js';

const env = useTestEnv('lake-roundtrip');

describe('lake sink round trip through DuckDB', () => {
  it('writes several flushes across days and partitions, each record once, typed, in its event day', async () => {
    const root = env.config.lake.root;
    const feed = feedSpec('orders');
    const sink = openSink(root, feed);
    await consume(sink, 0, 900, 250);
    await consume(sink, 1, 333, 100);
    await expectExactlyOnce(root, 'orders', { 0: 900, 1: 333 });

    const rows = await duck(
      `SELECT _kafka_partition AS p, _kafka_offset AS o, id, qty, big, ratio, price, amount::VARCHAR AS amount,
              huge, flag, born::VARCHAR AS born, epoch_ms("at") AS "at", payload, note,
              epoch_ms(_kafka_timestamp) AS ts, year::INT AS year, month::INT AS month, day::INT AS day
       FROM ${streamGlob(root, 'orders')} ORDER BY p, o`,
    );
    const [types] = await duck(
      `SELECT typeof(id) AS id, typeof(big) AS big, typeof(amount) AS amount, typeof(flag) AS flag,
              typeof(born) AS born, typeof("at") AS "at" FROM ${streamGlob(root, 'orders')} LIMIT 1`,
    );
    expect(types).toEqual({
      ...{ id: 'VARCHAR', big: 'BIGINT', amount: 'DECIMAL(15,2)', flag: 'BOOLEAN', born: 'DATE' },
      at: 'TIMESTAMP WITH TIME ZONE',
    });
    expect(rows).toHaveLength(1233);
    for (const r of rows) {
      const [id, qty, big, ratio, price, amount, huge, flag, born, at, payload, note] = valuesAt(Number(r.o));
      const d = new Date(at as number);
      const bornIso = new Date((born as number) * 86_400_000).toISOString().slice(0, 10);
      expect(r).toEqual({
        ...{ p: r.p, o: r.o, id, qty, big: String(big), ratio, price, amount, huge, flag, born: bornIso },
        ...{ at: String(at), payload, note, ts: String((at as number) + 1000) },
        ...{ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() },
      });
    }
  });

  it('lays files out by event day with deterministic names and the feed metadata', async () => {
    const root = env.config.lake.root;
    const sink = openSink(root, feedSpec('layout'));
    await sink.recover(0);
    sink.append(0, records(0, 0, 300)); // 2024-02-28 22:00 + 7 min per offset: three UTC days
    expect(await sink.flush(0, 300)).toEqual({
      rows: 300,
      files: [
        expect.stringMatching(/^streams\/layout\/year=2024\/month=02\/day=28\/p0-0-17-[0-9a-f]{8}\.parquet$/),
        expect.stringMatching(
          /^streams\/layout\/year=2024\/month=02\/day=29\/p0-18-222-[0-9a-f]{8}\.parquet$/,
        ),
        expect.stringMatching(
          /^streams\/layout\/year=2024\/month=03\/day=01\/p0-223-299-[0-9a-f]{8}\.parquet$/,
        ),
      ],
    });
    expect(utcDay(records(0, 222, 223)[0]!.eventTimeMs)).toBe(utcDay(Date.UTC(2024, 1, 29)));
    const file = filesUnder(`${root}/streams/layout`).find((f) => f.includes('day=29'))!;
    const kv = await duck(
      `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${lit(`${root}/streams/layout/${file}`)})
       WHERE decode(key) LIKE 'feedctl.%' ORDER BY k`,
    );
    expect(Object.fromEntries(kv.map((r) => [r.k, r.v]))).toEqual({
      'feedctl.feed': 'layout',
      'feedctl.generation': '3',
      'feedctl.spec_hash': 'spec-abc',
      'feedctl.schema_hash': expect.stringMatching(/^[0-9a-f]{16}$/),
      'feedctl.topic': TOPIC,
      'feedctl.partition': '0',
      'feedctl.first_offset': '18',
      'feedctl.last_offset': '222',
    });
  });
});
