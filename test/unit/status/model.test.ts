/** The status model joins registry rows, recorded sync states and declared consumers into one row per feed. */
import { describe, expect, it } from 'vitest';
import { model } from './fixtures.js';

describe('buildModel', () => {
  it('has one row per feed of the registry or of a recorded sync state, sorted by name', () => {
    expect(model().feeds.map((f) => f.name)).toEqual(['a', 'b']);
  });

  it("joins a feed's sync state, consumers, dead letters and retention", () => {
    const a = model().feeds[0]!;
    expect(a.sync).toMatchObject({ state: 'drift', detail: 'topic a: retention.ms 1 → 2' });
    expect(a.destinations.map((d) => [d.destination, d.lag, d.perSecond1m, d.runningGenerations])).toEqual([
      ['lake', 7, 12.5, [2]],
      ['warehouse', 7, 12.5, [2]],
    ]);
    expect(a.destinations[0]?.lastWrite?.file).toBe('streams/a/a.parquet');
    expect(a.deadLetters.count).toBe(3);
    expect(a.deadLetters.recent[0]).toMatchObject({ offset: '42', stage: 'decode', destination: 'lake' });
    expect(a.retention.policy).toBe('30 days');
    expect(a.owner).toBe('team');
  });

  it('shows a feed no reconcile recorded as unknown, from the registry alone', () => {
    const b = model().feeds[1]!;
    expect(b).toMatchObject({
      type: 'table',
      topic: 'b-topic',
      enabled: false,
      owner: null,
      destinations: [],
    });
    expect(b.sync.state).toBe('unknown');
  });

  it('keeps the fields `feedctl status -o json` printed before (workers, consumers, snapshots, controllers)', () => {
    const m = model();
    expect(Object.keys(m)).toEqual(
      expect.arrayContaining([
        'generatedAt',
        'feeds',
        'workers',
        'consumers',
        'snapshots',
        'controllers',
        'invalid',
      ]),
    );
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});
