/**
 * The lake's two backends in tests: a local folder, and S3 on the test suite's S3Proxy (`npm test` starts it: see
 * scripts/test.sh). A test file runs the same cases on both with `describe.each(BACKENDS)` and reads what either
 * wrote through the store (names) or through a local copy (DuckDB reads the Parquet files: the independent reader).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

export type Backend = 'fs' | 's3';
export const BACKENDS: Backend[] = ['fs', 's3'];

/** The test suite's S3 server and bucket (credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). */
export const TEST_S3 = {
  endpoint: process.env.FEEDCTL_TEST_S3_ENDPOINT ?? 'http://127.0.0.1:9311',
  bucket: 'feedctl-test',
};

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
  const prefix = `${env.config.mysql.database}/${name}`;
  const s3 = {
    bucket: TEST_S3.bucket,
    prefix,
    endpoint: TEST_S3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
  };
  cleanup.add(`${TEST_S3.bucket}/${env.config.mysql.database}`);
  return { root: `s3://${TEST_S3.bucket}/${prefix}`, s3 };
}

const cleanup = new Set<string>();
afterAll(async () => {
  for (const key of cleanup) {
    const [bucket = '', prefix = ''] = key.split(/\/(.*)/s);
    const s3 = { bucket, prefix, endpoint: TEST_S3.endpoint, region: 'us-east-1', forcePathStyle: true };
    await openStore({ root: `s3://${key}`, s3 }).remove('');
  }
  cleanup.clear();
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
    async local() {
      if (backend === 'fs') return lake.root;
      const dir = mkdtempSync(path.join(tmpdir(), `feedctl-lake-copy-${name}-`));
      for (const rel of await files()) {
        const bytes = await store.read(rel);
        if (bytes === null) continue; // removed meanwhile
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), bytes);
      }
      return dir;
    },
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
