/**
 * A table feed's version is never partly visible through the documented read paths (src/runtime/lake/version.ts):
 * "the latest version" = `_latest.json` and exactly the files it lists; "every complete version" = the
 * `version=N` folders holding `_SUCCESS`. On an object store a version's files are moved one by one, so a plain
 * glob of `version=N/*.parquet` may see part of one while it is published: these readers must not.
 */
import { describe, expect, it } from 'vitest';
import type { LakeStore } from '../../../src/runtime/lake/store.js';
import { publishVersion, readLatest } from '../../../src/runtime/lake/version.js';
import { useTestEnv } from '../../helpers/env.js';
import { BACKENDS, testLake } from '../../helpers/lake-backends.js';

const env = useTestEnv('version-visibility');
const FEED = 'prices';
const FILES = 12;
const names = Array.from({ length: FILES }, (_, i) => `p${i}-0-9-abcdef01.parquet`);

async function stage(store: LakeStore, version: number): Promise<void> {
  await Promise.all(
    names.map((n) => store.put(`tables/${FEED}/_staging/version=${version}/${n}`, new Uint8Array([version]))),
  );
}

/** The complete versions a reader sees, each with the Parquet files it holds. */
async function completeVersions(store: LakeStore): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const dir of (await store.entries(`tables/${FEED}`)).folders) {
    const m = /^version=(\d+)$/.exec(dir);
    if (!m) continue;
    const files = await store.list(`tables/${FEED}/${dir}`);
    if (files.includes('_SUCCESS')) out.set(Number(m[1]), files.filter((f) => f.endsWith('.parquet')).length);
  }
  return out;
}

/** What a reader of the latest version gets: its number and how many of its listed files it could read. */
async function latest(store: LakeStore): Promise<{ version: number; read: number; listed: number } | null> {
  const l = await readLatest(store, FEED);
  if (l === null) return null;
  const read = await Promise.all(l.files.map((f) => store.read(f)));
  return { version: l.version, read: read.filter((b) => b !== null).length, listed: l.files.length };
}

describe.each(BACKENDS)('table version visibility (%s)', (backend) => {
  it('shows a version interrupted mid-publish to no reader, and finishes it on the next publish', async () => {
    const { store } = testLake(env, backend, 'interrupted');
    await stage(store, 1);
    await publishVersion(store, FEED, 1, 10);
    await stage(store, 2);
    // A crash in the middle of the move: a third of the files already in place, no marker.
    for (const n of names.slice(0, 4))
      await store.move(`tables/${FEED}/_staging/version=2/${n}`, `tables/${FEED}/version=2/${n}`);
    expect(await completeVersions(store)).toEqual(new Map([[1, FILES]]));
    expect(await latest(store)).toEqual({ version: 1, read: FILES, listed: FILES });

    await publishVersion(store, FEED, 2, 20);
    expect(await completeVersions(store)).toEqual(
      new Map([
        [1, FILES],
        [2, FILES],
      ]),
    );
    expect(await latest(store)).toEqual({ version: 2, read: FILES, listed: FILES });
    expect(await store.list(`tables/${FEED}/_staging`)).toEqual([]);
  });

  it('never shows a reader part of a version while versions are being published', async () => {
    const { store } = testLake(env, backend, 'concurrent');
    let publishing = true;
    const seen: string[] = [];
    const reader = (async () => {
      while (publishing) {
        for (const [v, n] of await completeVersions(store)) seen.push(`complete v${v}: ${n}`);
        const l = await latest(store);
        if (l) seen.push(`latest v${l.version}: ${l.read}/${l.listed}`);
      }
    })();
    for (let v = 1; v <= 4; v++) {
      await stage(store, v);
      await publishVersion(store, FEED, v, v * 10);
    }
    publishing = false;
    await reader;
    expect(seen.length).toBeGreaterThan(4); // the reader did look while publishing
    expect(seen.filter((s) => !s.endsWith(`: ${FILES}`) && !s.endsWith(`: ${FILES}/${FILES}`))).toEqual([]);
    expect(await latest(store)).toEqual({ version: 4, read: FILES, listed: FILES });
  });
});
