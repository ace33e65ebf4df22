/**
 * A plan with an error (here: a manifest naming a table feedctl does not own) applies nothing, for any feed: under
 * `reconcile --watch` it is a failed run — shown in the output, counted in the metrics, retried with backoff — not
 * a quiet "0 applied". Once the manifest names another table, the next run applies and the failure clears.
 */
import { describe, expect, it } from 'vitest';
import { withMysql } from '../../../src/clients/mysql.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { metricsText, metricSum } from '../../helpers/health.js';
import { waitUntil } from '../../helpers/runtime.js';
import { startWatch } from '../../helpers/watch.js';

const env = useTestEnv('rc_plan_errors');
const fc = useFeedctl(env);

describe('the watch controller on a plan with errors', () => {
  it('fails the run, says why, and recovers once the manifest is fixed', { timeout: 120_000 }, async () => {
    await withMysql(env.config, (c) => c.query('CREATE TABLE fact_pe (x INT)'));
    const topic = env.topic('pe');
    const yaml = (table: string) => feedYaml({ name: 'pe', topic, table });
    fc.writeFeed('pe', yaml('fact_pe'));
    const watch = startWatch(fc, { FEEDCTL_RESYNC_SECONDS: '2' });
    try {
      const base = await watch.healthUrl();
      await waitUntil('a failed run counted in the metrics', async () => {
        const m = await metricsText(base);
        return metricSum(m, 'feedctl_reconcile_failing') === 1;
      });
      expect(metricSum(await metricsText(base), 'feedctl_reconcile_runs_total', { outcome: 'failed' })).toBe(
        metricSum(await metricsText(base), 'feedctl_reconcile_runs_total'),
      );
      expect(watch.out()).not.toMatch(/Apply complete/);
      expect(watch.out() + watch.err()).toMatch(
        /table fact_pe already exists and was not created by feedctl/,
      );

      const mark = watch.out().length;
      fc.writeFeed('pe', yaml('fact_pe_events'));
      await watch.after(mark, 'the fixed manifest applied', /Apply complete: \d+ applied/);
      await waitUntil('the failure cleared', async () => {
        return metricSum(await metricsText(base), 'feedctl_reconcile_failing') === 0;
      });
    } finally {
      await watch.stop();
    }
    await fc.expectConverged();
  });
});
