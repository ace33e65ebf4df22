/**
 * The lake's two backends in tests: a local folder, and S3 on the test suite's S3Proxy (test/helpers/s3.ts). A
 * test file runs the same cases on both with `describe.each(BACKENDS)` and reads what either wrote through the
 * store (names) or through a local copy (DuckDB reads the Parquet files: the independent reader).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { LakeConfig } from '../../src/config/lake.js';
import type { FeedSpec } from '../../src/feeds/types.js';
import type { FaultHook } from '../../src/runtime/lake/commit.js';
import { openStore } from '../../src/runtime/lake/open-store.js';
import { LakeSink } from '../../src/runtime/lake/sink.js';
import type { LakeStore } from '../../src/runtime/lake/store.js';
import type { TestEnv } from './env.js';
import { testS3Lake } from './s3.js';

export type Backend = 'fs' | 's3';
export const BACKENDS: Backend[] = ['fs', 's3'];

/** One lake of a test: its config, store, and readers. */
export interface TestLake {
  backend: Backend;
  lake: LakeConfig;
  store: LakeStore;
  /** Every file under `dir` (default: the whole lake), relative to the lake root, sorted. */
  files(dir?: string): Promise<string[]>;
  /** A local folder with a copy of the lake's files (the lake itself on a filesystem), for DuckDB. */
  local(): Promise<string>;
  /** A lake sink over the fixture feed on this lake, as a worker process would open it. */
  openSink(feed: FeedSpec, faults?: FaultHook): LakeSink;
}

/** The lake config of `backend` for a test named `name` of this file (S3 prefixes are removed after the file). */
export function lakeConfig(env: TestEnv, backend: Backend, name: string): LakeConfig {
  if (backend === 'fs') return { root: path.join(env.config.lake.root, name), s3: null };
  cleanup.add(env.config.mysql.database);
  return testS3Lake(`${env.config.mysql.database}/${name}`);
}

/** The S3 prefixes of this file's tests, emptied after it. */
const cleanup = new Set<string>();
/** Local copies of S3 lakes made by this file, removed after it. */
const copies = new Set<string>();
afterAll(async () => {
  for (const prefix of cleanup) await openStore(testS3Lake(prefix)).remove('');
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  cleanup.clear();
  copies.clear();
});

export function testLake(env: TestEnv, backend: Backend, name: string): TestLake {
  const lake = lakeConfig(env, backend, name);
  const store = openStore(lake);
  const files = (dir = ''): Promise<string[]> => walk(store, dir);
  return {
    backend,
    lake,
    store,
    files,
    local: () => localCopy(lake, store),
    openSink: (feed, faults) =>
      new LakeSink({
        root: lake.root,
        store,
        feed,
        generation: 3,
        specHash: 'spec-abc',
        topic: 'orders.v1',
        faults,
      }),
  };
}

async function walk(store: LakeStore, dir: string): Promise<string[]> {
  const { folders, others } = await store.entries(dir);
  const join = (n: string): string => (dir ? `${dir}/${n}` : n);
  const nested = await Promise.all(folders.map((f) => walk(store, join(f))));
  return [...others.map(join), ...nested.flat()].sort();
}

/**
 * A local folder holding the lake's files, for DuckDB: the lake itself when it is a folder, else a fresh copy of
 * every object (under `under`, default all), made in a new temporary folder.
 */
export async function localCopy(lake: LakeConfig, store = openStore(lake), under = ''): Promise<string> {
  if (!lake.s3) return lake.root;
  const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-lake-copy-'));
  copies.add(dir);
  for (const rel of await walk(store, under)) {
    const bytes = await store.read(rel);
    if (bytes === null) continue; // removed meanwhile
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), bytes);
  }
  return dir;
}
