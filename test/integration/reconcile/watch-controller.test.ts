/**
 * The watch controller: a hand-made topic config drift is healed by the periodic resync without any file event;
 * the blast-radius breaker refuses to apply when every manifest leaves `feeds/`, when 2 of 3 feeds would go, and
 * when a plan holds a destructive change — nothing changes, and status and the log say why — until a person runs
 * `feedctl reconcile` once; then the watch goes on.
 */
import { mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withAdmin } from '../../../src/clients/kafka.js';
import { withMysql, type RowDataPacket } from '../../../src/clients/mysql.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { checkEndpoint, metricsText, metricSum } from '../../helpers/health.js';
import { startWatch } from '../../helpers/watch.js';

const env = useTestEnv('rc_controller');
const fc = useFeedctl(env);
const NAMES = ['ca', 'cb', 'cc'];

const enabledFeeds = () =>
  withMysql(env.config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      'SELECT feed_name FROM feed_registry WHERE enabled ORDER BY 1',
    );
    return r.map((x) => String(x.feed_name));
  });

const retentionMs = (topic: string) =>
  withAdmin(env.config, async (a) => {
    const r = await a.describeConfigs({
      resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }],
      includeSynonyms: false,
    });
    return r.resources[0]?.configEntries[0]?.configValue;
  });

describe('the watch controller', () => {
  it(
    'resyncs drift, and its breaker refuses a blast radius until a person reconciles',
    { timeout: 180_000 },
    async () => {
      const topics = Object.fromEntries(NAMES.map((n) => [n, env.topic(n)]));
      const yaml = (n: string, note = true) =>
        feedYaml({
          name: n,
          topic: topics[n] ?? '',
          table: `fact_${n}`,
          fields: note ? ['{name: note, type: string, maxLength: 50, nullable: true}'] : [],
        });
      for (const n of NAMES) fc.writeFeed(n, yaml(n));
      const watch = startWatch(fc, { FEEDCTL_RESYNC_SECONDS: '2' });
      const after = watch.after;

      await after(0, 'the first apply', /Apply complete: \d+ applied/);
      expect(await enabledFeeds()).toEqual(NAMES);

      // Drift made by hand is healed by a resync, with no file event.
      const ca = topics.ca ?? '';
      await withAdmin(env.config, (a) =>
        a.alterConfigs({
          validateOnly: false,
          resources: [{ type: 2, name: ca, configEntries: [{ name: 'retention.ms', value: '1234567' }] }],
        }),
      );
      let mark = watch.out().length;
      await after(
        mark,
        'the resync healing the drift',
        /reconcile \(resync\)\n[\s\S]*applied {2}update topic [^\n]*\n[\s\S]*Apply complete/,
      );
      expect(await retentionMs(ca)).toBe('604800000');

      // Every manifest moved out of feeds/: the breaker refuses, nothing is disabled.
      const away = mkdtempSync(path.join(tmpdir(), 'feedctl-away-'));
      mark = watch.out().length;
      for (const n of NAMES) renameSync(path.join(fc.feedsDir, `${n}.yaml`), path.join(away, `${n}.yaml`));
      await after(
        mark,
        'the breaker on an empty folder',
        /Breaker tripped: nothing applied\. the manifests declare no feed while 3 are enabled/,
      );
      expect(await enabledFeeds()).toEqual(NAMES);
      expect(watch.err()).toMatch(/breaker tripped: plan not applied/);
      const status = (await fc.spawn('status')).stdout;
      expect(status).toMatch(
        /BREAKER TRIPPED, nothing applied: the manifests declare no feed while 3 are enabled/,
      );
      const base = await watch.healthUrl();
      const tripped = await metricsText(base);
      expect(metricSum(tripped, 'feedctl_breaker_tripped')).toBe(1);
      expect(metricSum(tripped, 'feedctl_breaker_trips_total')).toBeGreaterThanOrEqual(1);
      expect(metricSum(tripped, 'feedctl_reconcile_drift_found_total')).toBeGreaterThanOrEqual(1);
      expect(
        metricSum(tripped, 'feedctl_reconcile_changes_applied_total', { kind: 'topic' }),
      ).toBeGreaterThanOrEqual(4);

      // One manifest back: 2 of 3 feeds would go, refused likewise.
      mark = watch.out().length;
      renameSync(path.join(away, 'ca.yaml'), path.join(fc.feedsDir, 'ca.yaml'));
      await after(
        mark,
        'the breaker on 2 of 3',
        /Breaker tripped: nothing applied\. it would disable or delete 2 of 3 enabled feeds \(cb, cc\)/,
      );
      expect(await enabledFeeds()).toEqual(NAMES);

      // All back, but one drops a column: a destructive change is refused.
      for (const n of ['cb', 'cc'])
        renameSync(path.join(away, `${n}.yaml`), path.join(fc.feedsDir, `${n}.yaml`));
      mark = watch.out().length;
      fc.writeFeed('cc', yaml('cc', false));
      await after(
        mark,
        'the breaker on a destructive change',
        /Breaker tripped: nothing applied\. it holds 1 destructive change\(s\): delete column fact_cc\.note/,
      );

      // A person applies the 2-of-3 removal by hand; the watch then finds nothing to do.
      fc.writeFeed('cc', yaml('cc'));
      fc.removeFeed('cb');
      fc.removeFeed('cc');
      expect((await fc.cli('reconcile')).code).toBe(0);
      expect(await enabledFeeds()).toEqual(['ca']);
      mark = watch.out().length;
      await after(mark, 'an in-sync resync', /reconcile \(resync\)\nNo changes: in sync\./);
      // The removals' own file events may start a run after the resync: whichever ran last, it is in sync.
      expect((await fc.spawn('status')).stdout).toMatch(
        /last reconcile \((?:resync|change)\) at \S+: in sync/,
      );
      const cleared = await metricsText(base);
      expect(metricSum(cleared, 'feedctl_breaker_tripped')).toBe(0);
      expect(
        metricSum(cleared, 'feedctl_reconcile_runs_total', { trigger: 'resync', outcome: 'in sync' }),
      ).toBeGreaterThanOrEqual(1);
      expect((await checkEndpoint(base, '/readyz')).status).toBe(200);

      expect(await watch.stop()).toBe(0);
      await fc.expectConverged();
    },
  );
});
