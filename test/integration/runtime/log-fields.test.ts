/**
 * Every runtime log line about a feed's consumer says which one: `feed`, `destination` and `generation`, and
 * `partition` when it is about one partition (issue 13). A real worker (JSON logs at debug) ingests a stream feed
 * into both destinations — dead letters included — and a table feed's version, restarts the stream feed's
 * consumers at generation 2 and stops; then every line of a runtime subsystem in its log is checked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFeedctl } from '../../helpers/cli.js';
import { useTestEnv } from '../../helpers/env.js';
import {
  lakeCounts,
  produce,
  refMessages,
  streamFeedYaml,
  tableCounts,
  waitUntil,
} from '../../helpers/runtime.js';
import { exited, spawnWorker, waitRunning } from '../../helpers/workers.js';
import {
  bothAre,
  rowsPerPartition,
  sendMarker,
  sendRows,
  tableFeedYaml,
} from '../snapshots/snapshot-fixture.js';

const env = useTestEnv('rt_log_fields');
const fc = useFeedctl(env);

type Line = Record<string, unknown> & { subsystem: string; msg: string };

/** Lines of a runtime subsystem that are about the whole process, not one consumer. */
const PROCESS_LEVEL = new Set([
  'worker started',
  'worker stopped',
  'cannot read the consumers to run; keeping the current ones',
  'dead-letter producer cannot connect; retrying',
  'heartbeat failed',
  'cannot read log offsets; lag not updated',
  // the process's warehouse load path and lane threads are shared by every feed
  'warehouse load path',
  'LOAD DATA LOCAL INFILE refused by the server: warehouse writes use multi-row upserts',
  'worker thread exited',
  'worker thread failed',
]);

/** Lines about one partition: they carry `partition` as well. */
const PARTITION_SCOPED = new Set([
  'partition started at its durable offset',
  'partition start deferred',
  'partition stalled: lag without durable progress',
  'partition failed; restarting it from its durable offset',
  'partition halted: a dead letter cannot be written',
  'kafka position differs from the sink; seeking',
  'offsets no longer in Kafka were skipped',
  'sink is ahead of the log: offsets below its durable offset are skipped',
  'sink unavailable, retrying',
  'kafka offset commit failed; retrying',
  'lake partition recovered',
  'committed lake files missing',
  'lake flushed',
  'warehouse batch committed',
  'rows rejected by the warehouse',
  'dead letters written',
  'dead-letter batch refused for its size, sending one at a time',
  'dead letter truncated to fit the dead-letter topic',
  'message skipped: dead-letter topic disabled',
]);

const logFile = () => path.join(env.config.lake.root, 'worker-logs.log');

/** The worker's pino lines of runtime subsystems (its other stderr lines are not JSON; the last may be cut). */
function runtimeLines(): { raw: string; line: Line }[] {
  const lines = readFileSync(logFile(), 'utf8').split('\n');
  return lines
    .filter((raw, i) => raw.startsWith('{') && (i < lines.length - 1 || raw.endsWith('}')))
    .map((raw) => ({ raw, line: JSON.parse(raw) as Line }))
    .filter(({ line }) => line.subsystem?.startsWith('runtime.'));
}

const seen = (msg: string, match: Record<string, unknown> = {}) =>
  runtimeLines().some(
    ({ line }) => line.msg === msg && Object.entries(match).every(([k, v]) => line[k] === v),
  );

/** Why a line breaks the rule, or null. */
function violation(raw: string, line: Line): string | null {
  for (const key of ['feed', 'destination', 'generation', 'partition', 'subsystem']) {
    if ((raw.match(new RegExp(`"${key}":`, 'g')) ?? []).length > 1) return `${key} given twice`;
  }
  if ('partition' in line && !Number.isInteger(line.partition)) return 'partition is not a number';
  if (PROCESS_LEVEL.has(line.msg)) return null;
  if (!['clicks', 'catalog'].includes(line.feed as string)) return 'no feed';
  if (line.subsystem === 'runtime.offsets') return null;
  if (line.destination !== 'lake' && line.destination !== 'warehouse') return 'no destination';
  if (!Number.isInteger(line.generation) || (line.generation as number) < 1) return 'no generation';
  if (PARTITION_SCOPED.has(line.msg) && !Number.isInteger(line.partition)) return 'no partition';
  return null;
}

const streamYaml = (topic: string, extra: string[] = []) =>
  streamFeedYaml({
    name: 'clicks',
    topic,
    partitions: 2,
    fields: ['{name: ref, type: string, maxLength: 20}', '{name: at, type: timestamp}', ...extra],
  });

const ingested = async (n: number) =>
  (await lakeCounts(env.config.lake.root, 'clicks')).distinct >= n &&
  (await tableCounts(env.config, 'fact_clicks')).distinct >= n;

/** 200 clicks and 2 bad messages; version 1 of the catalog (30 rows), sealed. */
async function ingest(clicks: string, catalog: string): Promise<void> {
  const bad = [
    { key: 'bad-json', value: 'not json' },
    { key: 'bad-long', value: JSON.stringify({ ref: 'x'.repeat(30), at: new Date().toISOString() }) },
  ];
  await produce(env.config, clicks, [...refMessages('c', 0, 200), ...bad]);
  const dir = env.config.lake.root;
  sendRows(env.config, dir, catalog, 1, 0, 30);
  rowsPerPartition(30).forEach((rows, p) => sendMarker(env.config, dir, catalog, 1, p, rows));
  await waitUntil('200 clicks in both destinations', () => ingested(200));
  await waitUntil('catalog version 1 published', () => bothAre(env.config, 'catalog', 1, 'published'));
  await waitUntil('dead letters written', async () => seen('dead letters written', { feed: 'clicks' }));
}

/** A manifest change: the worker restarts the clicks consumers at generation 2, which take 50 more. */
async function restartClicks(clicks: string): Promise<void> {
  fc.writeFeed('clicks', streamYaml(clicks, ['{name: channel, type: string, maxLength: 8, nullable: true}']));
  expect((await fc.cli('reconcile')).code).toBe(0);
  for (const destination of ['lake', 'warehouse']) {
    await waitUntil(`clicks/${destination} started at generation 2`, async () =>
      seen('consumer started', { feed: 'clicks', destination, generation: 2 }),
    );
  }
  await produce(env.config, clicks, refMessages('c', 200, 50));
  await waitUntil('250 clicks in both destinations', () => ingested(250));
}

/** Lines the run must have logged, with the consumer each must name: the rule holds for something. */
const EXPECTED: [string, Record<string, unknown>][] = [
  ['partition started at its durable offset', { feed: 'clicks', destination: 'warehouse', generation: 1 }],
  ['lake partition recovered', { feed: 'clicks', destination: 'lake', generation: 2 }],
  ['lake flushed', { feed: 'clicks', destination: 'lake', generation: 2 }],
  ['warehouse batch committed', { feed: 'clicks', destination: 'warehouse', generation: 2 }],
  ['dead letters written', { feed: 'clicks', destination: 'lake', generation: 1 }],
  ['snapshot version published', { feed: 'catalog', destination: 'lake', version: 1 }],
  ['snapshot version published', { feed: 'catalog', destination: 'warehouse', version: 1 }],
  ['stopping consumer', { feed: 'clicks', destination: 'lake', generation: 1 }],
  ['consumer stopped', { feed: 'catalog', destination: 'warehouse', generation: 1 }],
];

describe('runtime log lines', () => {
  it('carry feed, destination, generation and partition', { timeout: 240_000 }, async () => {
    const clicks = env.topic('clicks');
    const catalog = env.topic('catalog');
    fc.writeFeed('clicks', streamYaml(clicks));
    fc.writeFeed('catalog', tableFeedYaml('catalog', catalog));
    expect((await fc.cli('reconcile')).code).toBe(0);
    const worker = spawnWorker(env, fc, 'logs', { FEEDCTL_LOG_LEVEL: 'debug', FEEDCTL_LOG_FORMAT: 'json' });
    await waitRunning(env, 'logs');
    await ingest(clicks, catalog);
    await restartClicks(clicks);
    worker.kill('SIGTERM');
    expect((await exited(worker)).code).toBe(0);

    const wrong = runtimeLines()
      .map(({ raw, line }) => ({ why: violation(raw, line), raw }))
      .filter((v) => v.why !== null);
    expect({ wrong: wrong.length, first: wrong.slice(0, 5) }).toEqual({ wrong: 0, first: [] });
    for (const [msg, match] of EXPECTED) {
      expect({ msg, ...match, seen: seen(msg, match) }).toMatchObject({ seen: true });
    }
    await fc.expectConverged();
  });
});
