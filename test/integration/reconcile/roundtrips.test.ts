/**
 * Observation is batched: planning 2 feeds and planning 8 feeds takes the same number of requests to Kafka and to
 * MySQL (one listing, one metadata and one describeConfigs for all topics; one query per kind in MySQL). Half the
 * feeds are table feeds, so their `_latest` views and grants on them are observed too.
 */
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { feedYaml, useFeedctl } from '../../helpers/cli.js';
import { planFromManifests } from '../../../src/reconciler/reconcile.js';

const env = useTestEnv('rc_roundtrips');
const fc = useFeedctl(env);

async function roundTrips() {
  const options = { allowDestructive: false, prune: false };
  const outcome = await planFromManifests(env.config, {
    paths: [fc.feedsDir],
    options,
    lockTimeoutSeconds: 5,
  });
  expect(outcome.plan.changes).toEqual([]);
  return outcome.roundTrips;
}

describe('batched observation', () => {
  it('does not grow with the number of feeds', async () => {
    const add = (n: number) =>
      fc.writeFeed(
        `rt${n}`,
        feedYaml({
          name: `rt${n}`,
          type: n % 2 === 0 ? 'stream' : 'table',
          topic: env.topic(`rt${n}`),
          table: `fact_rt${n}`,
          roles: [env.role(`r${n}`)],
        }),
      );
    [0, 1].forEach(add);
    expect((await fc.cli('reconcile')).code).toBe(0);
    const two = await roundTrips();
    [2, 3, 4, 5, 6, 7].forEach(add);
    expect((await fc.cli('reconcile')).code).toBe(0);
    const eight = await roundTrips();
    expect(eight).toEqual(two);
    expect(two.kafka).toBeLessThanOrEqual(3);
    // 12 for the kinds of stream feeds, + 1 for the views of table feeds (definitions joined with their columns),
    // + 1 for the status of table feeds' snapshot versions, + 1 for the watch controllers' last runs.
    expect(two.mysql).toBeLessThanOrEqual(15);
    await fc.expectConverged();
  });
});
