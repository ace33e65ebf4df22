/**
 * The lake destination: records are buffered per partition in the LakeSink and made durable by a flush (size,
 * count or idle thresholds of the manifest). A partition whose messages were all dead-lettered still advances its
 * commit record after the idle time, so its offset does not lag behind for ever.
 */
import { FeedctlError } from '../../errors.js';
import type { FeedSpec } from '../../feeds/types.js';
import type { LakeSink } from '../lake/sink.js';
import type { RuntimeMetrics } from '../metrics.js';
import type { DecodedRecord } from '../record.js';
import type { BufferBudget, BufferedBytes } from './budget.js';
import type { SinkHandler } from './handler.js';

interface Progress {
  /** Offset after the last message handled; null before the first batch when nothing was committed. */
  next: number | null;
  committed: number | null;
  /** When `next` first moved past `committed`. */
  advancedAt: number | null;
}

export class LakeHandler implements SinkHandler, BufferedBytes {
  readonly destination = 'lake' as const;
  readonly idempotent = false;
  /** The lake dead-letters invalid messages whenever it is on. */
  readonly reportsInvalid = true;
  readonly holdsMs: number;
  private readonly progress = new Map<number, Progress>();

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
  }

  async start(partition: number): Promise<number | null> {
    const committed = await this.sink.recover(partition);
    this.progress.set(partition, { next: committed, committed, advancedAt: null });
    return committed;
  }

  async handle(partition: number, records: DecodedRecord[], nextOffset: number): Promise<number | null> {
    this.sink.append(partition, records);
    const p = this.state(partition);
    p.next = nextOffset;
    if (p.next !== p.committed) p.advancedAt ??= Date.now();
    const due = this.sink.due(partition, Date.now()) || this.budget.exceeded();
    return due ? this.flush(partition) : null;
  }

  due(nowMs: number): number[] {
    const idleMs = this.feed.destinations.lake.flush.idleSeconds * 1000;
    return [...this.progress.entries()]
      .filter(([, s]) => s.next !== s.committed && s.advancedAt !== null)
      .filter(([p, s]) => this.sink.due(p, nowMs) || nowMs - (s.advancedAt ?? nowMs) >= idleMs)
      .map(([p]) => p);
  }

  async flush(partition: number): Promise<number | null> {
    const p = this.state(partition);
    if (p.next === null || p.next === p.committed) return null;
    const end = this.metrics.commitSeconds.startTimer({ feed: this.feed.name, destination: 'lake' });
    const written = await this.sink.flush(partition, p.next);
    end();
    this.metrics.rows.inc({ feed: this.feed.name, destination: 'lake' }, written.rows);
    this.metrics.files.inc({ feed: this.feed.name }, written.files.length);
    p.committed = p.next;
    p.advancedAt = null;
    return p.committed;
  }

  forget(partition: number): void {
    this.sink.discard(partition);
    this.progress.delete(partition);
  }

  private state(partition: number): Progress {
    const p = this.progress.get(partition);
    if (!p) {
      throw new FeedctlError('INTERNAL', 'partition not started', {
        subsystem: 'runtime.lake',
        action: 'handle',
        id: `${this.feed.name}/${partition}`,
      });
    }
    return p;
  }
}
