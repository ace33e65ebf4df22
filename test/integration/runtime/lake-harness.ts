/**
 * Drives a LakeSink like the consumer will (recover, append chunks, flush) and checks the lake with DuckDB as the
 * independent reader: every offset of every partition exactly once, and no staged or temporary file left behind.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { FeedSpec } from '../../../src/feeds/types.js';
import type { FaultHook } from '../../../src/runtime/lake/commit.js';
import { LakeSink } from '../../../src/runtime/lake/sink.js';
import { duck, lit } from '../../helpers/duckdb.js';
import type { TestLake } from '../../helpers/lake-backends.js';
import { records } from '../../unit/runtime/lake/fixtures.js';

export const TOPIC = 'orders.v1';

/** A sink over the fixture feed, as a worker process would open it. */
export function openSink(root: string, feed: FeedSpec, faults?: FaultHook): LakeSink {
  return new LakeSink({ root, feed, generation: 3, specHash: 'spec-abc', topic: TOPIC, faults });
}

/**
 * Recovers the partition, then consumes offsets up to `end` in chunks, flushing after each: what a worker does
 * from assignment on. Returns the offset it resumed from.
 */
export async function consume(
  sink: LakeSink,
  partition: number,
  end: number,
  chunk: number,
): Promise<number> {
  const from = (await sink.recover(partition)) ?? 0;
  for (let at = from; at < end; at += chunk) {
    const to = Math.min(end, at + chunk);
    sink.append(partition, records(partition, at, to));
    await sink.flush(partition, to);
  }
  return from;
}

/** A fault hook that throws on the `nth` time `step` is reached. */
export function crashAt(step: string, nth: number): FaultHook {
  let seen = 0;
  return (s) => {
    if (s === step && ++seen === nth) throw new Error(`simulated crash after ${step} #${nth}`);
  };
}

/** The DuckDB glob of a feed's stream files. */
export const streamGlob = (root: string, feed: string): string =>
  `read_parquet(${lit(`${root}/streams/${feed}/**/*.parquet`)}, hive_partitioning = true)`;

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Asserts that partition p holds offsets 0..counts[p]-1 exactly once and that only final files remain. */
export async function expectExactlyOnce(
  root: string,
  feed: string,
  counts: Record<number, number>,
): Promise<void> {
  await expectOffsets(root, feed, counts);
  expectOnlyFinal(filesUnder(root));
}

/** {@link expectExactlyOnce} on a test lake of either backend (DuckDB reads a local copy of an S3 lake). */
export async function expectLakeExactlyOnce(
  lake: TestLake,
  feed: string,
  counts: Record<number, number>,
): Promise<void> {
  await expectOffsets(await lake.local(), feed, counts);
  expectOnlyFinal(await lake.files());
}

async function expectOffsets(root: string, feed: string, counts: Record<number, number>): Promise<void> {
  const rows = await duck(
    `SELECT _kafka_partition AS p, count(*) AS n, count(DISTINCT _kafka_offset) AS distinct_offsets,
            min(_kafka_offset) AS lo, max(_kafka_offset) AS hi
     FROM ${streamGlob(root, feed)} GROUP BY p ORDER BY p`,
  );
  const want = Object.entries(counts).map(([p, n]) => ({
    p: Number(p),
    n: String(n),
    distinct_offsets: String(n),
    lo: '0',
    hi: String(n - 1),
  }));
  expect(rows).toEqual(want);
}

/** Only final Parquet files and commit records: no staged file, no temporary. */
function expectOnlyFinal(files: string[]): void {
  const stray = files.filter((f) => !f.endsWith('.parquet') && !f.includes('_feedctl/commits/'));
  expect(stray).toEqual([]);
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
}
