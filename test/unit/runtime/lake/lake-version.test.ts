import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fsStore } from '../../../../src/runtime/lake/store-fs.js';
import type { LakeStore } from '../../../../src/runtime/lake/store.js';
import { publishVersion, readLatest } from '../../../../src/runtime/lake/version.js';

let root: string;
let store: LakeStore;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'feedctl-lake-version-'));
  store = fsStore(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);

/** Stages files of a version as the lake sink does. */
async function stageVersion(version: number, names: string[]): Promise<void> {
  for (const n of names) await store.put(`tables/prices/_staging/version=${version}/${n}`, bytes(n));
}

const latestOnDisk = () => JSON.parse(readFileSync(path.join(root, 'tables/prices/_latest.json'), 'utf8'));
const entries = (rel: string) => readdirSync(path.join(root, rel)).sort();

describe('publishing a table version in the lake', () => {
  it('moves the staged folder into place and points _latest.json at its files', async () => {
    await stageVersion(3, ['p1-b.parquet', 'p0-a.parquet']);
    const before = Date.now();
    expect(await publishVersion(store, 'prices', 3, 42)).toBe('tables/prices/version=3');
    expect(entries('tables/prices/version=3')).toEqual(['_SUCCESS', 'p0-a.parquet', 'p1-b.parquet']);
    expect(entries('tables/prices/_staging')).toEqual([]);
    const latest = latestOnDisk();
    expect(latest).toMatchObject({
      version: 3,
      rows: 42,
      files: ['tables/prices/version=3/p0-a.parquet', 'tables/prices/version=3/p1-b.parquet'],
    });
    expect(Date.parse(latest.publishedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await readLatest(store, 'prices')).toEqual(latest);
    // the atomic replacement leaves no temporary behind
    expect(entries('tables/prices')).toEqual(['_latest.json', '_staging', 'version=3']);
  });

  it('is idempotent: a second publish changes nothing', async () => {
    await stageVersion(3, ['p0-a.parquet']);
    await publishVersion(store, 'prices', 3, 1);
    const first = readFileSync(path.join(root, 'tables/prices/_latest.json'), 'utf8');
    expect(await publishVersion(store, 'prices', 3, 1)).toBe('tables/prices/version=3');
    expect(readFileSync(path.join(root, 'tables/prices/_latest.json'), 'utf8')).toBe(first);
    expect(entries('tables/prices/version=3')).toEqual(['_SUCCESS', 'p0-a.parquet']);
  });

  it('finishes a publish interrupted after the rename, marker last (also a version published before markers)', async () => {
    await stageVersion(5, ['p0-a.parquet']);
    await store.move('tables/prices/_staging/version=5', 'tables/prices/version=5');
    expect(entries('tables/prices/version=5')).toEqual(['p0-a.parquet']);
    await publishVersion(store, 'prices', 5, 9);
    expect(entries('tables/prices/version=5')).toEqual(['_SUCCESS', 'p0-a.parquet']);
    expect(latestOnDisk()).toMatchObject({
      version: 5,
      rows: 9,
      files: ['tables/prices/version=5/p0-a.parquet'],
    });
  });

  it('keeps _latest.json at a newer version when an older one is published after it', async () => {
    await stageVersion(4, ['p0-new.parquet']);
    await stageVersion(2, ['p0-old.parquet']);
    await publishVersion(store, 'prices', 4, 40);
    await publishVersion(store, 'prices', 2, 20);
    expect(entries('tables/prices/version=2')).toEqual(['_SUCCESS', 'p0-old.parquet']);
    expect(latestOnDisk()).toMatchObject({
      version: 4,
      rows: 40,
      files: ['tables/prices/version=4/p0-new.parquet'],
    });
  });

  it('moves _latest.json forward to a newer version', async () => {
    await stageVersion(1, ['a.parquet']);
    await stageVersion(2, ['b.parquet']);
    await publishVersion(store, 'prices', 1, 1);
    await publishVersion(store, 'prices', 2, 2);
    expect(latestOnDisk()).toMatchObject({
      version: 2,
      rows: 2,
      files: ['tables/prices/version=2/b.parquet'],
    });
  });

  it('publishes a version nobody wrote rows for as a folder with only its marker', async () => {
    expect(await publishVersion(store, 'prices', 7, 0)).toBe('tables/prices/version=7');
    expect(entries('tables/prices/version=7')).toEqual(['_SUCCESS']);
    expect(latestOnDisk()).toMatchObject({ version: 7, rows: 0, files: [] });
  });

  it('lists only the Parquet files of the version', async () => {
    await stageVersion(3, ['p0-a.parquet', 'notes.txt', 'p0-b.parquet.staged']);
    await publishVersion(store, 'prices', 3, 1);
    expect(latestOnDisk().files).toEqual(['tables/prices/version=3/p0-a.parquet']);
  });

  it.each([
    ['not JSON', '{"version": '],
    ['no version', '{"rows": 3}'],
    ['a version as text', '{"version": "3"}'],
    ['null', 'null'],
  ])('refuses a damaged _latest.json (%s) instead of replacing it', async (_, text) => {
    await store.put('tables/prices/_latest.json', bytes(text));
    await stageVersion(3, ['a.parquet']);
    const invalid = { code: 'LAKE_STATE_INVALID', context: expect.objectContaining({ reason: 'corrupt' }) };
    await expect(readLatest(store, 'prices')).rejects.toMatchObject(invalid);
    await expect(publishVersion(store, 'prices', 3, 1)).rejects.toMatchObject(invalid);
    expect(readFileSync(path.join(root, 'tables/prices/_latest.json'), 'utf8')).toBe(text);
  });

  it('reads no latest version before the first publish', async () => {
    expect(await readLatest(store, 'prices')).toBeNull();
  });
});
