/**
 * The two destinations of a table feed, as the table handler drives them. The lake buffers a version's rows in
 * its staging folder (the LakeHandler's flush rules, commit records counting rows per version) and publishes a
 * version by renaming that folder; the warehouse writes each run of rows in one transaction with its offset and
 * the ledger's row count, and publishes in the ledger alone (the `_latest` view reads it).
 */
import type { FeedSpec } from '../../feeds/types.js';
import type { LakeSink } from '../lake/sink.js';
import type { LakeStore } from '../lake/store.js';
import { publishVersion } from '../lake/version.js';
import type { RuntimeMetrics } from '../metrics.js';
import type { SnapshotLedger } from '../snapshot/ledger.js';
import type { RowsStep } from '../snapshot/steps.js';
import type { WarehouseSink } from '../warehouse/sink.js';
import type { HandlerHooks, RejectSink } from './handler.js';
import type { LakeHandler } from './lake-handler.js';
import type { SnapshotTarget } from './table-handler.js';

export class LakeSnapshots implements SnapshotTarget {
  readonly destination = 'lake' as const;
  readonly idempotent = false;
  readonly reportsInvalid = true;
  readonly holdsMs: number;

  constructor(
    private readonly handler: LakeHandler,
    private readonly sink: LakeSink,
    private readonly store: LakeStore,
    private readonly ledger: SnapshotLedger,
    private readonly feed: FeedSpec,
  ) {
    this.holdsMs = handler.holdsMs;
  }

  /** Table rows reach the lake handler decoded (`handle`): of its hooks, only `wrote` is ever called. */
  connect(hooks: HandlerHooks): void {
    this.handler.connect(hooks);
  }

  start(partition: number): Promise<number | null> {
    return this.handler.start(partition);
  }

  async writeRows(partition: number, step: RowsStep): Promise<number | null> {
    await this.ledger.open(step.version, step.date);
    return this.handler.handle(partition, step.records, step.end);
  }

  async makeDurable(partition: number, offset: number): Promise<number | null> {
    const buffered = await this.handler.handle(partition, [], offset);
    return (await this.handler.flush(partition)) ?? buffered;
  }

  /** Buffered like any batch: flushed with the next rows or after the idle time, not at once. */
  advance(partition: number, offset: number): Promise<number | null> {
    return this.handler.handle(partition, [], offset);
  }

  counted(partition: number, version: number, through: boolean): ReadonlyMap<number, number> {
    const counts = this.sink.counted(partition);
    const mine = [...counts].filter(([v]) => (through ? v <= version : v === version));
    return new Map(mine);
  }

  sealed(partition: number, version: number): void {
    this.sink.settle(partition, version);
  }

  publish(version: number, rows: number): Promise<string> {
    return publishVersion(this.store, this.feed.name, version, rows);
  }

  due(nowMs: number): number[] {
    return this.handler.due(nowMs);
  }

  flush(partition: number): Promise<number | null> {
    return this.handler.flush(partition);
  }

  forget(partition: number): void {
    this.handler.forget(partition);
  }

  close(): void {
    this.handler.close();
  }
}

export class WarehouseSnapshots implements SnapshotTarget {
  readonly destination = 'warehouse' as const;
  /** Each step is one transaction, and the table handler skips offsets a failed attempt already wrote. */
  readonly idempotent = true;
  readonly reportsInvalid: boolean;
  readonly holdsMs = 0;
  private readonly durable = new Map<number, number | null>();
  private wrote: HandlerHooks['wrote'] = () => undefined;

  constructor(
    private readonly sink: WarehouseSink,
    private readonly ledger: SnapshotLedger,
    private readonly feed: FeedSpec,
    private readonly metrics: RuntimeMetrics,
  ) {
    this.reportsInvalid = !feed.destinations.lake.enabled;
  }

  connect(hooks: HandlerHooks): void {
    this.wrote = hooks.wrote;
  }

  async start(partition: number): Promise<number | null> {
    const offset = (await this.sink.loadOffsets([partition])).get(partition) ?? null;
    this.durable.set(partition, offset);
    return offset;
  }

  async writeRows(partition: number, step: RowsStep, reject: RejectSink): Promise<number> {
    const date = await this.ledger.open(step.version, step.date);
    const labels = { feed: this.feed.name, destination: 'warehouse' };
    const end = this.metrics.commitSeconds.startTimer(labels);
    const written = await this.sink.write(
      [{ partition, records: step.records, nextOffset: step.end }],
      reject,
      {
        snapshotVersion: step.version,
        snapshotDate: date,
        extra: (stored) => [this.ledger.countSql(partition, step.version, stored)],
      },
    );
    end();
    this.metrics.rows.inc(labels, written.rows);
    if (written.rows > 0) this.wrote(null);
    this.durable.set(partition, step.end);
    return step.end;
  }

  async makeDurable(partition: number, offset: number): Promise<number> {
    if (this.durable.get(partition) === offset) return offset;
    await this.sink.write([{ partition, records: [], nextOffset: offset }]);
    this.durable.set(partition, offset);
    return offset;
  }

  advance(partition: number, offset: number): Promise<number> {
    return this.makeDurable(partition, offset);
  }

  /** The warehouse counts in the ledger, in the transactions that write the rows. */
  counted(): null {
    return null;
  }

  sealed(): void {}

  async publish(): Promise<null> {
    return null;
  }

  due(): number[] {
    return [];
  }

  async flush(): Promise<null> {
    return null;
  }

  forget(partition: number): void {
    this.durable.delete(partition);
  }

  close(): void {}
}
