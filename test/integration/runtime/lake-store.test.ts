import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsStore } from '../../../src/runtime/lake/store-fs.js';
import { useTestEnv } from '../../helpers/env.js';

const env = useTestEnv('lake-store');
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('lake filesystem store', () => {
  it('lets exactly one of many concurrent exclusive creates win, and leaves no temporary', async () => {
    const root = path.join(env.config.lake.root, 'exclusive');
    const store = fsStore(root);
    const writers = Array.from({ length: 16 }, (_, i) => `writer ${i}`);
    const won = await Promise.all(writers.map((w) => store.createExclusive('a/b/rec.json', bytes(w))));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = writers[won.indexOf(true)];
    expect(readFileSync(path.join(root, 'a/b/rec.json'), 'utf8')).toBe(winner);
    expect(readdirSync(path.join(root, 'a/b'))).toEqual(['rec.json']);
    expect(await store.createExclusive('a/b/rec.json', bytes('late'))).toBe(false);
    expect(new TextDecoder().decode((await store.read('a/b/rec.json'))!)).toBe(winner);
  });

  it('leaves only a temporary when a create is interrupted before its commit point', async () => {
    const root = path.join(env.config.lake.root, 'interrupted');
    const store = fsStore(root);
    const crash = (): Promise<void> => Promise.reject(new Error('simulated crash'));
    await expect(store.createExclusive('rec.json', bytes('x'), crash)).rejects.toThrow(/simulated/);
    expect(await store.exists('rec.json')).toBe(false);
    expect(readdirSync(root)).toEqual([expect.stringMatching(/^rec\.json\.[0-9a-f]+\.tmp$/)]);
  });

  it('reports absent files instead of failing: read, list, move, remove', async () => {
    const store = fsStore(path.join(env.config.lake.root, 'absent'));
    expect(await store.read('none')).toBeNull();
    expect(await store.list('none')).toEqual([]);
    expect(await store.exists('none')).toBe(false);
    expect(await store.move('none', 'x/y')).toBe(false);
    await expect(store.remove('none')).resolves.toBeUndefined();
    await expect(store.sync('none')).resolves.toBeUndefined();
  });

  it('moves a file into a new folder, replacing what is there', async () => {
    const root = path.join(env.config.lake.root, 'move');
    const store = fsStore(root);
    await store.put('s/one', bytes('new'));
    await store.put('d/e/one', bytes('old'));
    expect(await store.move('s/one', 'd/e/one')).toBe(true);
    expect(readFileSync(path.join(root, 'd/e/one'), 'utf8')).toBe('new');
    expect(await store.list('s')).toEqual([]);
    await store.remove('d');
    expect(await store.list('')).toEqual(['s']);
  });
});
