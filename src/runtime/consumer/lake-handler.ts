/**
 * The lake destination: records are buffered per partition in the LakeSink and made durable by a flush (size,
 * count or idle thresholds of the manifest). A partition whose messages were all dead-lettered still advances its
 * commit record after the idle time, so its offset does not lag behind for ever.
 *
 * Stream feeds (`handleRaw`) flush in the background: the flush takes the buffer and the partition goes on
 * fetching into a new one, so writing and fsyncing a file never stalls consumption. One flush per partition at a
 * time (a second one due waits for the first); its durable offset reaches the consumer through `hooks.durable`,
 * and a flush that fails fails the partition's next call (or its next `flush` from the tick), which restarts it
 * from its durable offset. Table feeds (`handle`) flush in line, as their snapshot steps expect.
 */
import { FeedctlError } from '../../errors.js';
import type { FeedSpec } from '../../feeds/types.js';
import type { LakeSink } from '../lake/sink.js';
import type { RuntimeMetrics } from '../metrics.js';
import type { DecodedRecord, FetchedMessage } from '../record.js';
import type { BufferBudget, BufferedBytes } from './budget.js';
import type { HandlerHooks, SinkHandler } from './handler.js';

interface Progress {
  /** Offset after the last message handled; null before the first batch when nothing was committed. */
  next: number | null;
  committed: number | null;
  /** The offset a flush running in the background will commit; null when none runs. */
  flushingTo: number | null;
  /** When `next` first moved past what is committed or being flushed. */
  advancedAt: number | null;
  /** Why the last background flush failed; thrown at the partition's next call. */
  failure: unknown;
}

const NO_HOOKS: HandlerHooks = {
  invalid: async () => undefined,
  durable: async () => undefined,
  wrote: () => undefined,
};

export class LakeHandler implements SinkHandler, BufferedBytes {
  readonly destination = 'lake' as const;
  readonly idempotent = false;
  /** The lake dead-letters invalid messages whenever it is on. */
  readonly reportsInvalid = true;
  readonly holdsMs: number;
  private readonly progress = new Map<number, Progress>();
  /** Background flushes per partition (kept past `forget`, so a restart waits for the old one). */
  private readonly running = new Map<number, Promise<void>>();
  private hooks = NO_HOOKS;

  constructor(
    private readonly sink: LakeSink,
    private readonly feed: FeedSpec,
    private readonly metrics: RuntimeMetrics,
    private readonly budget: BufferBudget,
  ) {
    budget.add(this);
    this.holdsMs = feed.destinations.lake.flush.idleSeconds * 1000;
  }

  bufferedBytes(): number {
    let bytes = 0;
    for (const p of this.progress.keys()) bytes += this.sink.pending(p).bytes;
    return bytes;
  }

  /** The consumer stopped: its buffers no longer count. */
  close(): void {
    this.budget.remove(this);
    this.sink.close();
  }

  connect(hooks: HandlerHooks): void {
    this.hooks = hooks;
  }

  async start(partition: number): Promise<number | null> {
    await this.running.get(partition);
    const committed = await this.sink.recover(partition);
    this.progress.set(partition, {
      next: committed,
      committed,
      flushingTo: null,
      advancedAt: null,
      failure: null,
    });
    return committed;
  }

  async handle(partition: number, records: DecodedRecord[], nextOffset: number): Promise<number | null> {
    this.sink.append(partition, records);
    return this.advance(partition, nextOffset) ? this.flush(partition) : null;
  }

  /** Stream feeds: the sink's buffer decodes (in a lane thread); a flush due runs in the background. */
  async handleRaw(partition: number, messages: FetchedMessage[], nextOffset: number): Promise<number | null> {
    this.state(partition);
    await this.sink.appendRaw(partition, messages);
    if (!this.advance(partition, nextOffset)) return null;
    await this.running.get(partition);
    const p = this.state(partition);
    if (p.next !== (p.flushingTo ?? p.committed)) this.flushInBackground(partition, p);
    return null;
  }

  /** Records that the partition consumed up to `nextOffset`; whether a flush is due. */
  private advance(partition: number, nextOffset: number): boolean {
    const p = this.state(partition);
    p.next = nextOffset;
    if (p.next !== (p.flushingTo ?? p.committed)) p.advancedAt ??= Date.now();
    return this.sink.due(partition, Date.now()) || this.budget.exceeded();
  }

  due(nowMs: number): number[] {
    const idleMs = this.feed.destinations.lake.flush.idleSeconds * 1000;
    const waiting = (p: number, s: Progress) =>
      s.next !== (s.flushingTo ?? s.committed) &&
      s.advancedAt !== null &&
      (this.sink.due(p, nowMs) || nowMs - s.advancedAt >= idleMs);
    return [...this.progress.entries()]
      .filter(([p, s]) => s.failure !== null || waiting(p, s))
      .map(([p]) => p);
  }

  /** Waits for the background flushes. */
  async idle(): Promise<void> {
    await Promise.all(this.running.values());
  }

  /** Makes everything consumed durable now (after a background flush, if one runs); the durable offset. */
  async flush(partition: number): Promise<number | null> {
    await this.running.get(partition);
    const p = this.state(partition);
    if (p.next === null || p.next === p.committed) return null;
    await this.write(partition, p, p.next);
    return p.committed;
  }

  forget(partition: number): void {
    this.sink.discard(partition);
    this.progress.delete(partition);
  }

  private flushInBackground(partition: number, p: Progress): void {
    const to = p.next as number;
    p.flushingTo = to;
    p.advancedAt = null;
    const run = this.write(partition, p, to)
      .then(() => (this.progress.get(partition) === p ? this.hooks.durable(partition, to) : undefined))
      .catch((err: unknown) => void (p.failure ??= err))
      .finally(() => {
        p.flushingTo = null;
        if (this.running.get(partition) === run) this.running.delete(partition);
      });
    this.running.set(partition, run);
  }

  /** Flushes the partition's buffer as committed up to `to`. */
  private async write(partition: number, p: Progress, to: number): Promise<void> {
    const end = this.metrics.commitSeconds.startTimer({ feed: this.feed.name, destination: 'lake' });
    const written = await this.sink.flush(partition, to, this.hooks.invalid);
    end();
    this.metrics.rows.inc({ feed: this.feed.name, destination: 'lake' }, written.rows);
    this.metrics.files.inc({ feed: this.feed.name }, written.files.length);
    const last = written.files.at(-1);
    if (last !== undefined) this.hooks.wrote(last);
    p.committed = to;
    if (p.next === to) p.advancedAt = null;
  }

  /** The partition's progress; throws the failure of its last background flush. */
  private state(partition: number): Progress {
    const p = this.progress.get(partition);
    if (!p) {
      throw new FeedctlError('INTERNAL', 'partition not started', {
        subsystem: 'runtime.lake',
        action: 'handle',
        id: `${this.feed.name}/${partition}`,
      });
    }
    if (p.failure !== null) throw p.failure;
    return p;
  }
}
