import { describe, expect, it } from 'vitest';
import type { RetentionReport } from '../../../../src/runtime/retention/job.js';
import { renderRetention } from '../../../../src/runtime/retention/render.js';

const report = (dryRun: boolean): RetentionReport => ({
  runId: 'r',
  dryRun,
  at: '2026-11-26T00:00:00.000Z',
  totals: { files: 3, bytes: 3 * 1024 * 1024, rows: 250 },
  feeds: [
    {
      feed: 'clicks',
      type: 'stream',
      policy: { days: 30, versions: null, autoDelete: true },
      action: 'delete',
      items: [
        {
          destination: 'lake',
          kind: 'lake partition',
          target: 'streams/clicks/year=2026/month=10/day=01',
          day: '2026-10-01',
          files: 3,
          bytes: 3 * 1024 * 1024,
          rows: 0,
          cutoff: '2026-10-28',
        },
        {
          destination: 'warehouse',
          kind: 'warehouse rows',
          target: 'fact_clicks snapshot_date=2026-10-01',
          day: '2026-10-01',
          files: 0,
          bytes: 0,
          rows: 250,
          cutoff: '2026-10-28',
        },
      ],
      skipped: ['streams/clicks/year=2026/month=10/day=02: written within the grace period, kept for now'],
      deleted: dryRun ? 0 : 2,
      error: null,
    },
    {
      feed: 'catalog',
      type: 'table',
      policy: { days: null, versions: 7, autoDelete: false },
      action: 'report',
      items: [],
      skipped: [],
      deleted: 0,
      error: null,
    },
    {
      feed: 'old',
      type: 'stream',
      policy: { days: 7, versions: null, autoDelete: true },
      action: 'skipped',
      items: [],
      skipped: ['feed disabled: its data is kept'],
      deleted: 0,
      error: null,
    },
  ],
});

describe('retention report', () => {
  it('lists per feed what goes, what is kept and why, and the totals', () => {
    expect(renderRetention(report(true))).toBe(
      [
        'clicks (stream, keep 30 days): would delete',
        '  - lake partition streams/clicks/year=2026/month=10/day=01: 3 files, 3.0 MB',
        '  - warehouse rows fact_clicks snapshot_date=2026-10-01: 250 rows',
        '  kept: streams/clicks/year=2026/month=10/day=02: written within the grace period, kept for now',
        'catalog (table, keep 7 versions): nothing to delete',
        'old (stream, keep 7 days): skipped',
        '  kept: feed disabled: its data is kept',
        'Total: 3 files (3.0 MB) and 250 warehouse rows would go.',
        '',
      ].join('\n'),
    );
    const real = renderRetention(report(false)).split('\n');
    expect(real[0]).toBe('clicks (stream, keep 30 days): deleted');
    expect(real.at(-2)).toBe('Total: 3 files (3.0 MB) and 250 warehouse rows deleted.');
  });
});
