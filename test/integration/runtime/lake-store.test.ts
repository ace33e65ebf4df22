import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestEnv } from '../../helpers/env.js';
import { BACKENDS, testLake } from '../../helpers/lake-backends.js';

const env = useTestEnv('lake-store');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

describe.each(BACKENDS)('lake store (%s)', (backend) => {
  it('lets exactly one of many concurrent exclusive creates win', async () => {
    const { store, files } = testLake(env, backend, 'exclusive');
    const writers = Array.from({ length: 16 }, (_, i) => `writer ${i}`);
    const won = await Promise.all(writers.map((w) => store.createExclusive('a/b/rec.json', bytes(w))));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = writers[won.indexOf(true)] as string;
    expect(text(await store.read('a/b/rec.json'))).toBe(winner);
    expect(await files()).toEqual(['a/b/rec.json']); // no temporary left
    expect(await store.createExclusive('a/b/rec.json', bytes('late'))).toBe(false);
    expect(text(await store.read('a/b/rec.json'))).toBe(winner);
  });

  it('passes its self-check (the S3 server refuses a second create of a key) and leaves nothing', async () => {
    const { store, files } = testLake(env, backend, 'self-check');
    await expect(store.selfCheck()).resolves.toBeUndefined();
    expect(await files()).toEqual([]);
  });

  it('leaves no record when a create is interrupted before its commit point', async () => {
    const { store } = testLake(env, backend, 'interrupted');
    const crash = (): Promise<void> => Promise.reject(new Error('simulated crash'));
    await expect(store.createExclusive('rec.json', bytes('x'), crash)).rejects.toThrow(/simulated/);
    expect(await store.exists('rec.json')).toBe(false);
    expect(await store.createExclusive('rec.json', bytes('y'))).toBe(true);
  });

  it('reports absent files instead of failing: read, list, entries, measure, move, remove', async () => {
    const { store } = testLake(env, backend, 'absent');
    expect(await store.read('none')).toBeNull();
    expect(await store.list('none')).toEqual([]);
    expect(await store.entries('none')).toEqual({ folders: [], others: [] });
    expect(await store.measure('none')).toBeNull();
    expect(await store.exists('none')).toBe(false);
    expect(await store.move('none', 'x/y')).toBe(false);
    await expect(store.remove('none')).resolves.toBeUndefined();
    await expect(store.sync('none')).resolves.toBeUndefined();
  });

  it('moves a file into a new folder, replacing what is there, and replaces a file whole', async () => {
    const { store, files } = testLake(env, backend, 'move');
    await store.put('s/one', bytes('new'));
    await store.put('d/e/one', bytes('old'));
    expect(await store.move('s/one', 'd/e/one')).toBe(true);
    expect(text(await store.read('d/e/one'))).toBe('new');
    await store.replace('d/e/one', bytes('newer'));
    expect(text(await store.read('d/e/one'))).toBe('newer');
    expect(await files()).toEqual(['d/e/one']);
    await store.remove('d');
    expect(await files()).toEqual([]);
  });

  it('moves a folder whole, lists folders apart from files, and measures what a folder holds', async () => {
    const { store, files } = testLake(env, backend, 'folders');
    await store.put('v/_staging/version=3/a.parquet', bytes('aaaa'));
    await store.put('v/_staging/version=3/b.parquet', bytes('bb'));
    await store.put('v/notes.txt', bytes('n'));
    expect(await store.entries('v')).toEqual({ folders: ['_staging'], others: ['notes.txt'] });
    expect(await store.list('v')).toEqual(['_staging', 'notes.txt']);
    expect(await store.move('v/_staging/version=3', 'v/version=3')).toBe(true);
    expect(await files('v')).toEqual(['v/notes.txt', 'v/version=3/a.parquet', 'v/version=3/b.parquet']);
    const size = await store.measure('v/version=3');
    expect(size).toMatchObject({ files: 2, bytes: 6 });
    expect(size?.newestMs).toBeGreaterThan(Date.now() - 120_000);
    expect(await store.exists('v/version=3')).toBe(true);
  });
});

describe.each(BACKENDS)('lake store folder moves (%s)', (backend) => {
  it('finishes a folder move that stopped midway when it runs again', async () => {
    const { store, files } = testLake(env, backend, 'midway');
    for (const n of ['a', 'b', 'c']) await store.put(`from/${n}.parquet`, bytes(n));
    expect(await store.move('from/a.parquet', 'to/a.parquet')).toBe(true); // the part moved before a crash
    expect(await store.move('from', 'to')).toBe(true);
    expect(await files()).toEqual(['to/a.parquet', 'to/b.parquet', 'to/c.parquet']);
    expect(await store.move('from', 'to')).toBe(false);
  });
});

describe('lake store (fs only)', () => {
  it('leaves only a temporary when a create is interrupted before its commit point', async () => {
    const { store, lake } = testLake(env, 'fs', 'fs-interrupted');
    const crash = (): Promise<void> => Promise.reject(new Error('simulated crash'));
    await expect(store.createExclusive('rec.json', bytes('x'), crash)).rejects.toThrow(/simulated/);
    expect(readdirSync(path.join(lake.root))).toEqual([expect.stringMatching(/^rec\.json\.[0-9a-f]+\.tmp$/)]);
  });
});
