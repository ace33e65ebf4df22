/**
 * A fixed set of `worker_threads` for CPU work off the main thread (decoding, column building, Parquet encoding),
 * one per core by default. Callers pick a thread by index (a partition sticks to one thread, which keeps its
 * state) and exchange request/reply messages with transferable buffers.
 *
 * Threads start on first use and are restarted on the next call after they die. A thread's death (a crash, its
 * heap limit, `kill()`) rejects every call waiting on it with THREAD_LOST (retriable) and bumps its epoch: a caller
 * that keeps state in a thread pins the epoch it started with, and every later call with that epoch fails too, so
 * state lost with a thread is never mistaken for state that is there.
 */
import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';
import { FeedctlError } from '../../errors.js';
import { logger } from '../../log.js';

/** A request's answer from the thread: its result, or its error as plain fields. */
export type Reply =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; code: string; message: string };

interface Waiting {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker | null;
  epoch: number;
  waiting: Map<number, Waiting>;
}

const log = logger('runtime.threads');

export class ThreadPool {
  private readonly slots: Slot[];
  private nextId = 1;
  private turn = 0;
  private closed = false;

  /** `entry`: the thread's module (it answers requests with {@link Reply}); `size` ≥ 1. */
  constructor(
    private readonly entry: URL,
    readonly size: number,
    private readonly limits: ResourceLimits,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({
      worker: null,
      epoch: 1,
      waiting: new Map(),
    }));
  }

  /** The thread whose turn it is to take new work (round robin). */
  nextThread(): number {
    this.turn = (this.turn + 1) % this.slots.length;
    return this.turn;
  }

  /** The current epoch of thread `index`: state created in it now is valid while the epoch stays. */
  epoch(index: number): number {
    return this.slot(index).epoch;
  }

  /** Sends `request` to thread `index` (started if needed) if its epoch is still `epoch`; resolves with its result. */
  call<T>(index: number, epoch: number, request: object, transfer: Transferable[] = []): Promise<T> {
    const slot = this.slot(index);
    if (this.closed || slot.epoch !== epoch) return Promise.reject(lost(index, 'its state was lost'));
    const worker = slot.worker ?? this.spawn(index);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      slot.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...request, id }, transfer);
    });
  }

  /** Posts `message` to every running thread, without a reply (threads not running have nothing to forget). */
  broadcast(message: object): void {
    for (const s of this.slots) s.worker?.postMessage({ ...message, id: 0 });
  }

  /** Kills thread `index` as a crash would (tests; operators see the same as after an out-of-memory death). */
  async kill(index: number): Promise<void> {
    await this.slot(index).worker?.terminate();
  }

  /** Stops every thread; waiting calls fail with THREAD_LOST. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }

  private slot(index: number): Slot {
    const slot = this.slots[index % this.slots.length];
    if (!slot)
      throw new FeedctlError('INTERNAL', `no thread ${index}`, {
        subsystem: 'runtime.threads',
        action: 'call',
      });
    return slot;
  }

  private spawn(index: number): Worker {
    const slot = this.slot(index);
    const worker = new Worker(this.entry, { resourceLimits: this.limits });
    worker.unref(); // a pool left open never keeps the process alive
    slot.worker = worker;
    worker.on('message', (reply: Reply) => settle(slot, reply));
    worker.on('error', (err) => log.error({ thread: index, err: err.message }, 'worker thread failed'));
    worker.on('exit', (code) => this.died(index, worker, code));
    return worker;
  }

  private died(index: number, worker: Worker, code: number): void {
    const slot = this.slot(index);
    if (slot.worker !== worker) return;
    slot.worker = null;
    slot.epoch += 1;
    const waiting = [...slot.waiting.values()];
    slot.waiting.clear();
    if (!this.closed) log.warn({ thread: index, code, waiting: waiting.length }, 'worker thread exited');
    for (const w of waiting) w.reject(lost(index, `it exited with code ${code}`));
  }
}

function settle(slot: Slot, reply: Reply): void {
  const w = slot.waiting.get(reply.id);
  if (!w) return;
  slot.waiting.delete(reply.id);
  if (reply.ok) w.resolve(reply.result);
  else
    w.reject(
      new FeedctlError(reply.code === 'INTERNAL' ? 'INTERNAL' : 'LAKE_WRITE_FAILED', reply.message, {
        subsystem: 'runtime.threads',
        action: 'thread request',
      }),
    );
}

function lost(index: number, why: string): FeedctlError {
  return new FeedctlError('THREAD_LOST', why, {
    subsystem: 'runtime.threads',
    action: 'call worker thread',
    id: String(index),
    retriable: true,
  });
}
