import { describe, expect, it } from 'vitest';
import {
  batchStep,
  EARLIEST,
  startTarget,
  type ReadPosition,
} from '../../../../src/runtime/consumer/resume.js';

const started = (durable: number | null, soughtTo: number | null): ReadPosition => ({
  durable,
  next: null,
  soughtTo,
});

describe('where a started partition reads from', () => {
  it('targets the durable offset, else the log start, else Kafka earliest', () => {
    expect(startTarget(500, 10)).toBe(500);
    expect(startTarget(null, 10)).toBe(10);
    expect(startTarget(null, null)).toBe(EARLIEST);
  });

  it('accepts a first batch that starts exactly at the durable offset without seeking', () => {
    expect(batchStep(started(500, null), 500, 500)).toEqual({ kind: 'accept', next: 500, note: null });
  });

  it.each([
    ['Kafka behind (offsets reset to earliest, or deleted)', 0],
    ['Kafka ahead of the sink', 900],
  ])('seeks to the durable offset when %s', (_what, first) => {
    expect(batchStep(started(500, null), first, first)).toEqual({ kind: 'seek', to: 500 });
  });

  it('seeks to the log start when the sink holds nothing and the batch does not start at 0', () => {
    expect(batchStep(started(null, null), 700, 700)).toEqual({ kind: 'seek', to: EARLIEST });
    expect(batchStep(started(null, null), 0, 0)).toEqual({ kind: 'accept', next: 0, note: null });
  });

  it('accepts whatever comes after a seek, so a resume never loops', () => {
    expect(batchStep(started(500, 500), 500, 500)).toEqual({ kind: 'accept', next: 500, note: null });
    // the durable offset fell out of the log (retention): read on from the log start
    expect(batchStep(started(500, 500), 800, 800)).toEqual({ kind: 'accept', next: 800, note: 'gap' });
    // the sink is ahead of the log (topic recreated): messages below the durable offset are filtered
    expect(batchStep(started(500, 500), 20, 20)).toEqual({ kind: 'accept', next: 500, note: 'ahead' });
    expect(batchStep(started(null, 40), 40, 40)).toEqual({ kind: 'accept', next: 40, note: null });
  });

  it('while running, accepts redeliveries and compaction gaps but seeks back when Kafka fetched past it', () => {
    const running: ReadPosition = { durable: 500, next: 650, soughtTo: 500 };
    expect(batchStep(running, 600, 600)).toEqual({ kind: 'accept', next: 650, note: null });
    expect(batchStep(running, 700, 650)).toEqual({ kind: 'accept', next: 650, note: null });
    expect(batchStep(running, 900, 900)).toEqual({ kind: 'seek', to: 650 });
    // after seeking back once, a fetch still beyond (offsets gone from the log) is accepted as a gap
    expect(batchStep({ ...running, soughtTo: 650 }, 900, 900)).toEqual({
      kind: 'accept',
      next: 900,
      note: 'gap',
    });
  });
});
