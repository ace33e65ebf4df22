import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LakeSink } from '../../../src/runtime/lake/sink.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec, records } from '../../unit/runtime/lake/fixtures.js';
import { expectExactlyOnce, openSink, TOPIC } from './lake-harness.js';

const env = useTestEnv('lake-offsets');
const feed = feedSpec('orders');
const rootFor = (name: string): string => path.join(env.config.lake.root, name);

describe('lake sink offsets', () => {
  it('skips records redelivered below what it already buffered or committed', async () => {
    const root = rootFor('redelivery');
    const sink = openSink(root, feed);
    await sink.recover(0);
    sink.append(0, records(0, 0, 100));
    sink.append(0, records(0, 50, 150));
    expect(sink.pending(0).rows).toBe(150);
    await sink.flush(0, 150);
    sink.append(0, records(0, 100, 200));
    expect(sink.pending(0).rows).toBe(50);
    await sink.flush(0, 200);
    await expectExactlyOnce(root, 'orders', { 0: 200 });
  });

  it('commits an advanced offset with no rows when the last messages were dead-lettered', async () => {
    const root = rootFor('dead-letters');
    const sink = openSink(root, feed);
    await sink.recover(0);
    sink.append(0, records(0, 0, 10));
    expect(await sink.flush(0, 15)).toMatchObject({ rows: 10 }); // offsets 10..14 went to the dead-letter topic
    expect(await sink.flush(0, 40)).toEqual({ files: [], rows: 0 }); // so did 15..39
    expect(await openSink(root, feed).recover(0)).toBe(40);
    expect(sink.append(0, records(0, 30, 40))).toBeUndefined();
    expect(sink.pending(0).rows).toBe(0);
  });

  it('returns the recorded offset per partition, or null when a partition never committed', async () => {
    const root = rootFor('per-partition');
    const sink = openSink(root, feed);
    for (const p of [0, 1, 2]) expect(await sink.recover(p)).toBeNull();
    sink.append(1, records(1, 0, 5));
    await sink.flush(1, 5);
    await sink.flush(2, 9);
    const fresh = openSink(root, feed);
    expect([await fresh.recover(0), await fresh.recover(1), await fresh.recover(2)]).toEqual([null, 5, 9]);
    expect(await fresh.flush(1, 5)).toEqual({ files: [], rows: 0 });
  });

  it('forgets a discarded buffer and requires recover() before using the partition again', async () => {
    const root = rootFor('discard');
    const sink = openSink(root, feed);
    await sink.recover(0);
    sink.append(0, records(0, 0, 20));
    sink.discard(0);
    expect(sink.pending(0).rows).toBe(0);
    await expect(sink.flush(0, 20)).rejects.toThrow(/partition not recovered/);
    expect(existsSync(path.join(root, 'streams'))).toBe(false);
  });

  it('refuses misuse: records of another partition, a nextOffset below the buffered records, a table feed', async () => {
    const sink = openSink(rootFor('misuse'), feed);
    await sink.recover(0);
    expect(() => sink.append(0, records(1, 0, 1))).toThrow(/record of partition 1/);
    await sink.recover(0);
    sink.append(0, records(0, 0, 10));
    await expect(sink.flush(0, 5)).rejects.toMatchObject({ code: 'INTERNAL' });
    const table = { ...feed, type: 'table' as const };
    expect(
      () => new LakeSink({ root: '/x', feed: table, generation: 1, specHash: 'h', topic: TOPIC }),
    ).toThrow(/table feed needs its version partitioner/);
  });
});
