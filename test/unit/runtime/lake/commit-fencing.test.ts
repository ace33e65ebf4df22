/**
 * The fencing reasoning of the lake's commit protocol (commit.ts) over a store that keeps exactly the promise the
 * protocol relies on — an atomic create-if-absent — and nothing else: no temporaries, no renames' atomicity, no
 * conditional replace. An object store's `If-Match` (check-then-write inside S3Proxy 4.0) is never needed: commit
 * records are only ever created, and the store below refuses any other write to them.
 */
import { describe, expect, it } from 'vitest';
import {
  commit,
  prune,
  publish,
  readHead,
  recover,
  stage,
  type CommitRecord,
  type PartitionState,
} from '../../../../src/runtime/lake/commit.js';
import type { LakeStore } from '../../../../src/runtime/lake/store.js';

/** Objects in a map; a write to a commit record other than its creation fails the test. */
function memoryStore(): LakeStore & { keys(): string[] } {
  const objects = new Map<string, Uint8Array>();
  const under = (dir: string) => [...objects.keys()].filter((k) => k.startsWith(`${dir}/`));
  const level = (dir: string) =>
    new Set(under(dir).map((k) => k.slice(dir.length + 1).split('/')[0] as string));
  const guard = (key: string) => {
    if (key.includes('/commits/'))
      throw new Error(`a commit record was written other than by creation: ${key}`);
  };
  return {
    keys: () => [...objects.keys()].sort(),
    async createExclusive(file, bytes, afterTemp) {
      await afterTemp?.();
      if (objects.has(file)) return false;
      objects.set(file, bytes);
      return true;
    },
    async put(file, bytes) {
      guard(file);
      objects.set(file, bytes);
    },
    async replace(file, bytes) {
      guard(file);
      objects.set(file, bytes);
    },
    read: async (file) => objects.get(file) ?? null,
    list: async (dir) => [...level(dir)].sort(),
    exists: async (file) => objects.has(file) || under(file).length > 0,
    async move(from, to) {
      guard(to);
      const bytes = objects.get(from);
      if (bytes === undefined) return false;
      objects.set(to, bytes);
      objects.delete(from);
      return true;
    },
    async remove(target) {
      objects.delete(target);
      for (const k of under(target)) objects.delete(k);
    },
    sync: async () => undefined,
    entries: async (dir) => ({
      folders: [...level(dir)].filter((n) => under(`${dir}/${n}`).length > 0),
      others: [],
    }),
    measure: async () => null,
    selfCheck: async () => undefined,
  };
}

const writerState = (store: LakeStore, writer: string): PartitionState => ({
  store,
  topic: 't',
  partition: 0,
  writer,
  staging: '_feedctl/staging/f/p0',
  commits: '_feedctl/commits/f/p0',
  legacy: '_feedctl/commits/f/p0.json',
});

const record = (writer: string, nextOffset: number, files: string[]): CommitRecord => ({
  topic: 't',
  partition: 0,
  nextOffset,
  files,
  writer,
});

/** A whole flush as the sink does it: stage, commit, publish, prune. */
async function flush(p: PartitionState, seq: number, nextOffset: number, file: string): Promise<void> {
  await stage(p, seq, [{ path: file, bytes: new Uint8Array([nextOffset]) }]);
  await commit(p, seq, record(p.writer, nextOffset, [file]));
  await publish(p, seq, record(p.writer, nextOffset, [file]));
  await prune(p, seq);
}

const fenced = { code: 'LAKE_STATE_INVALID', context: expect.objectContaining({ reason: 'fenced' }) };

describe('lake commit fencing, on create-if-absent alone', () => {
  it('lets exactly one of two writers that read the same record commit the next one', async () => {
    const store = memoryStore();
    const [a, b] = [writerState(store, 'aaa'), writerState(store, 'bbb')];
    const seq = (await recover(a)).seq; // a claims: record 1
    expect((await readHead(b)).seq).toBe(seq);
    const results = await Promise.allSettled([
      flush(a, seq + 1, 10, 'streams/f/a.parquet'),
      flush(b, seq + 1, 20, 'streams/f/b.parquet'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toMatchObject(fenced);
    expect(store.keys().filter((k) => k.startsWith('streams/'))).toHaveLength(1);
  });

  it('fences a zombie whose partition a new owner claimed, and the claim discards what it staged', async () => {
    const store = memoryStore();
    const zombie = writerState(store, 'zzz');
    const { seq } = await recover(zombie);
    await stage(zombie, seq + 1, [{ path: 'streams/f/z.parquet', bytes: new Uint8Array([1]) }]);
    const owner = writerState(store, 'ooo');
    const claim = await recover(owner); // claims record seq + 1 before the zombie commits
    expect(claim.seq).toBe(seq + 1);
    expect(claim.discarded).toEqual([`000000000002-zzz/z.parquet.staged`]);
    await expect(commit(zombie, seq + 1, record('zzz', 5, ['streams/f/z.parquet']))).rejects.toMatchObject(
      fenced,
    );
    expect(store.keys().some((k) => k.startsWith('streams/'))).toBe(false);
  });

  it('fences a zombie so late that the record number it creates was pruned long ago', async () => {
    const store = memoryStore();
    const zombie = writerState(store, 'zzz');
    const { seq } = await recover(zombie); // record 1
    const owner = writerState(store, 'ooo');
    let at = (await recover(owner)).seq; // record 2
    for (let n = 1; n <= 4; n++) await flush(owner, ++at, n * 10, `streams/f/o${n}.parquet`);
    expect(await store.list(owner.commits)).toEqual(['000000000005.json', '000000000006.json']);
    // record 2 was pruned: the zombie's create succeeds, but a listing shows a higher record, so it is void
    await expect(flush(zombie, seq + 1, 7, 'streams/f/z.parquet')).rejects.toMatchObject(fenced);
    expect((await recover(writerState(store, 'nnn'))).nextOffset).toBe(40);
  });
});
