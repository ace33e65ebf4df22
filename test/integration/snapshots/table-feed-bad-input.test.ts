/**
 * Bad input to a table feed never publishes anything and never stops the feed: records without a version and rows
 * of a version already published go to the dead-letter topic (stage `snapshot`), once; a row the schema refuses is
 * dead-lettered too and makes its version incomplete (the end marker's count no longer matches); the next version
 * publishes as usual.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import { headerPairs, readTopic } from '../../helpers/kcat.js';
import { waitUntil } from '../../helpers/runtime.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import {
  bothAre,
  latestJson,
  ledger,
  row,
  rowsPerPartition,
  sendLines,
  sendMarker,
  sendRows,
  tableFeedYaml,
  viewSummary,
} from './snapshot-fixture.js';

const env = useTestEnv('snap_bad');
const fc = useFeedctl(env);
const FEED = 'badsnap';
const N = 300;

describe('bad input to a table feed', () => {
  let topic: string;
  const dir = () => env.config.lake.root;
  const seal = (v: number, n: number, extra: number[] = [0, 0, 0]) =>
    rowsPerPartition(n).forEach((rows, p) =>
      sendMarker(env.config, dir(), topic, v, p, rows + (extra[p] ?? 0)),
    );
  const line = (v: number, i: number) => `sku-${i}\t${JSON.stringify(row(v, i))}`;

  beforeAll(async () => {
    topic = env.topic('badsnap');
    fc.writeFeed(FEED, tableFeedYaml(FEED, topic));
    expect((await fc.cli('reconcile')).code).toBe(0);
  });

  it('dead-letters it, marks the version incomplete, and goes on', { timeout: 240_000 }, async () => {
    const worker = spawnWorker(env, fc, 'w');
    await waitRunning(env, 'w');
    sendLines(env.config, dir(), topic, 0, [line(1, 900), line(1, 901)], []); // no version at all
    sendLines(env.config, dir(), topic, 0, [line(1, 902)], ['snapshot_version=0']);
    sendRows(env.config, dir(), topic, 1, 0, N);
    seal(1, N);
    await waitUntil('version 1 published', () => bothAre(env.config, FEED, 1, 'published'), 90_000);

    sendLines(env.config, dir(), topic, 1, [line(1, 903)], ['snapshot_version=1']); // late row of version 1
    sendRows(env.config, dir(), topic, 2, 0, N);
    const tooLong = JSON.stringify({ ...row(2, 904), title: 'x'.repeat(65) });
    sendLines(env.config, dir(), topic, 2, [`sku-904\t${tooLong}`], ['snapshot_version=2']);
    seal(2, N, [0, 0, 1]); // the producer counts the row the schema refuses
    await waitUntil('version 2 incomplete', () => bothAre(env.config, FEED, 2, 'incomplete'), 90_000);
    expect((await ledger(env.config, FEED, 'warehouse')).get(2)?.reason).toBe(
      `partition 2: ${N / 3} rows written, end marker says ${N / 3 + 1}`,
    );

    sendRows(env.config, dir(), topic, 3, 0, N);
    seal(3, N);
    await waitUntil('version 3 published', () => bothAre(env.config, FEED, 3, 'published'), 90_000);
    expect(latestJson(dir(), FEED)?.version).toBe(3);
    expect((await viewSummary(env.config, `dim_${FEED}_latest`)).versions).toBe('3-3');

    const letters = readTopic(env.config, `${topic}-dlq`).map((m) => {
      const h = Object.fromEntries(headerPairs(m));
      return `${h['feedctl.stage']}/${h['feedctl.error.class']}/${m.key}`;
    });
    expect(letters.sort()).toEqual([
      'schema/SchemaViolation/sku-904',
      'snapshot/MissingVersion/sku-900',
      'snapshot/MissingVersion/sku-901',
      'snapshot/MissingVersion/sku-902',
      'snapshot/StaleVersion/sku-903',
    ]);
    worker.kill('SIGTERM');
    expect((await exited(worker)).code).toBe(0);
    await fc.expectConverged();
  });
});
