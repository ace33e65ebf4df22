import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LakeSink } from '../../../src/runtime/lake/sink.js';
import { useTestEnv } from '../../helpers/env.js';
import { feedSpec, records } from '../../unit/runtime/lake/fixtures.js';
import { TOPIC } from './lake-harness.js';

const env = useTestEnv('lake-thresholds');

async function sinkWith(name: string, flush: { maxRows: number; maxBytes: number; idleSeconds: number }) {
  const root = path.join(env.config.lake.root, name);
  const sink = new LakeSink({
    root,
    feed: feedSpec(name, { flush }),
    generation: 1,
    specHash: 'h',
    topic: TOPIC,
  });
  await sink.recover(0);
  return sink;
}

describe('lake flush thresholds', () => {
  it('is due at maxRows', async () => {
    const sink = await sinkWith('rows', { maxRows: 100, maxBytes: 1 << 30, idleSeconds: 3600 });
    const now = Date.now();
    expect(sink.due(0, now)).toBe(false);
    sink.append(0, records(0, 0, 99));
    expect(sink.due(0, now)).toBe(false);
    sink.append(0, records(0, 99, 100));
    expect(sink.due(0, now)).toBe(true);
    await sink.flush(0, 100);
    expect(sink.due(0, now)).toBe(false);
    expect(sink.pending(0)).toEqual({ rows: 0, bytes: 0, since: null });
  });

  it('is due at maxBytes, counting the buffered column bytes', async () => {
    const sink = await sinkWith('bytes', { maxRows: 1_000_000, maxBytes: 20_000, idleSeconds: 3600 });
    let offset = 0;
    while (!sink.due(0, Date.now())) {
      const before = sink.pending(0).bytes;
      sink.append(0, records(0, offset, offset + 10));
      offset += 10;
      expect(sink.pending(0).bytes).toBeGreaterThan(before);
    }
    const { rows, bytes } = sink.pending(0);
    expect(bytes).toBeGreaterThanOrEqual(20_000);
    expect(bytes).toBeLessThan(20_000 + 10 * 400); // the last 10 records crossed the threshold
    expect(rows).toBe(offset);
  });

  it('is due when the oldest buffered append is idleSeconds old', async () => {
    const sink = await sinkWith('idle', { maxRows: 1000, maxBytes: 1 << 30, idleSeconds: 5 });
    const before = Date.now();
    sink.append(0, records(0, 0, 1));
    const { since } = sink.pending(0);
    expect(since).toBeGreaterThanOrEqual(before);
    sink.append(0, records(0, 1, 2)); // a later append does not reset the age
    expect(sink.pending(0).since).toBe(since);
    expect(sink.due(0, since! + 4999)).toBe(false);
    expect(sink.due(0, since! + 5000)).toBe(true);
  });

  it('reports nothing pending for a partition it does not hold', async () => {
    const sink = await sinkWith('none', { maxRows: 1, maxBytes: 1, idleSeconds: 0 });
    expect(sink.pending(7)).toEqual({ rows: 0, bytes: 0, since: null });
    expect(sink.due(7, Date.now())).toBe(false);
  });
});
