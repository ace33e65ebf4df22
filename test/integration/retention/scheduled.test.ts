/**
 * Retention inside workers: two workers with a short retention interval delete a feed's expired lake days and
 * warehouse rows on their own, one run at a time (each deletion audited exactly once), and a disabled feed keeps
 * its data.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withMysql } from '../../../src/clients/mysql.js';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { tableCounts, waitUntil } from '../../helpers/runtime.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import { agingFeedYaml, daysAgo, retentionAudit } from './retention-fixture.js';

const env = useTestEnv('ret_sched');
const fc = useFeedctl(env);
const VARS = { FEEDCTL_RETENTION_INTERVAL_SECONDS: '2', FEEDCTL_RETENTION_GRACE_SECONDS: '0' };

/** The lake folder of the UTC day `n` days ago. */
function dayDir(feed: string, n: number): string {
  const [y, m, d] = daysAgo(n).split('-');
  return path.join(env.config.lake.root, 'streams', feed, `year=${y}`, `month=${m}`, `day=${d}`);
}

/** Seeds `days` expired day folders (one file each) and 10 warehouse rows per day, from 10 days ago back. */
async function seed(feed: string, days: number): Promise<void> {
  for (let n = 10; n < 10 + days; n++) {
    const dir = dayDir(feed, n);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `p0-${n}-${n}-00000000.parquet`), 'PAR1');
    await withMysql(env.config, (c) =>
      c.query(
        `INSERT INTO fact_${feed} (ref, \`at\`, snapshot_date, snapshot_version, _event_time, _kafka_partition, _kafka_offset)
         VALUES ${Array.from({ length: 10 }, (_, i) => `('r${n}-${i}', '${daysAgo(n)} 01:00:00', '${daysAgo(n)}', 0, '${daysAgo(n)} 01:00:00', 0, ${n * 100 + i})`).join(', ')}`,
      ),
    );
  }
}

describe('retention in workers', () => {
  beforeAll(async () => {
    fc.writeFeed('old', agingFeedYaml('old', env.topic('old'), 7));
    fc.writeFeed(
      'paused',
      agingFeedYaml('paused', env.topic('paused'), 7).replace(
        '  type: stream',
        '  type: stream\n  enabled: false',
      ),
    );
    expect((await fc.cli('reconcile')).code).toBe(0);
    await seed('old', 5);
    await seed('paused', 3);
  });

  it(
    'runs on a schedule, once per deletion across two workers, and keeps a disabled feed',
    { timeout: 90_000 },
    async () => {
      const workers = [spawnWorker(env, fc, 'a', VARS), spawnWorker(env, fc, 'b', VARS)];
      await Promise.all([waitRunning(env, 'a'), waitRunning(env, 'b')]);
      await waitUntil(
        'the expired data deleted',
        async () => (await tableCounts(env.config, 'fact_old')).rows === 0,
        60_000,
      );
      await waitUntil(
        'every deletion audited',
        async () => (await retentionAudit(env.config)).length === 10,
        30_000,
      );
      await new Promise((r) => setTimeout(r, 5000)); // more turns of both workers: nothing is deleted twice
      const audit = await retentionAudit(env.config);
      expect(audit.length).toBe(10);
      expect(new Set(audit.map((a) => a.id)).size).toBe(10);
      expect(audit.every((a) => a.outcome === 'applied' && a.id.startsWith('old:'))).toBe(true);
      for (let n = 10; n < 15; n++) expect(existsSync(dayDir('old', n))).toBe(false);
      for (let n = 10; n < 13; n++) expect(existsSync(dayDir('paused', n))).toBe(true);
      expect((await tableCounts(env.config, 'fact_paused')).rows).toBe(30);
      for (const w of workers) w.kill('SIGTERM');
      for (const w of workers) expect((await exited(w)).code).toBe(0);
      await fc.expectConverged();
    },
  );
});
