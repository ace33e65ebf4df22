import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ThreadPool } from '../../../../src/runtime/threads/pool.js';

/** A thread that echoes `value`, or never answers (`hang`), or dies (`die`). */
const ENTRY = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (r) => {
  if (r.op === 'die') process.exit(3);
  if (r.op === 'hang') return;
  if (r.op === 'fail') return parentPort.postMessage({ id: r.id, ok: false, code: 'INTERNAL', message: 'no' });
  parentPort.postMessage({ id: r.id, ok: true, result: r.value });
});
`;

function entry(): URL {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'feedctl-pool-')), 'entry.mjs');
  writeFileSync(file, ENTRY);
  return pathToFileURL(file);
}

let pool: ThreadPool | undefined;
afterEach(async () => pool?.close());

describe('ThreadPool', () => {
  it('answers calls from the thread chosen, and refuses its errors as errors', async () => {
    pool = new ThreadPool(entry(), 2, {});
    expect(await pool.call(0, pool.epoch(0), { op: 'echo', value: 7 })).toBe(7);
    expect(await pool.call(1, pool.epoch(1), { op: 'echo', value: 'x' })).toBe('x');
    await expect(pool.call(1, pool.epoch(1), { op: 'fail' })).rejects.toThrow(/no/);
  });

  it('fails the calls waiting on a thread that dies, retriably, and fences calls made for its old state', async () => {
    pool = new ThreadPool(entry(), 1, {});
    const before = pool.epoch(0);
    const waiting = pool.call(0, before, { op: 'hang' });
    const dying = pool.call(0, before, { op: 'die' });
    await expect(waiting).rejects.toMatchObject({ code: 'THREAD_LOST', retriable: true });
    await expect(dying).rejects.toMatchObject({ code: 'THREAD_LOST' });
    expect(pool.epoch(0)).toBe(before + 1);
    // State made in the dead thread is gone: a call for it is refused, never sent to the new thread.
    await expect(pool.call(0, before, { op: 'echo', value: 1 })).rejects.toMatchObject({
      code: 'THREAD_LOST',
    });
    // A call for the new epoch starts a new thread.
    expect(await pool.call(0, pool.epoch(0), { op: 'echo', value: 2 })).toBe(2);
  });

  it('kill() ends a thread as a crash would; nextThread() takes turns', async () => {
    pool = new ThreadPool(entry(), 3, {});
    expect([pool.nextThread(), pool.nextThread(), pool.nextThread(), pool.nextThread()]).toEqual([
      1, 2, 0, 1,
    ]);
    const epoch = pool.epoch(2);
    const waiting = pool.call(2, epoch, { op: 'hang' });
    await pool.kill(2);
    await expect(waiting).rejects.toMatchObject({ code: 'THREAD_LOST' });
    expect(pool.epoch(2)).toBe(epoch + 1);
  });
});
