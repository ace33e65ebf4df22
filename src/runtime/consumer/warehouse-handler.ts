/**
 * The warehouse destination: every batch is one transaction that upserts its rows and stores the partition's next
 * offset (WarehouseSink), so nothing is ever buffered here.
 */
import type { FeedSpec } from '../../feeds/types.js';
import type { RuntimeMetrics } from '../metrics.js';
import type { DecodedRecord } from '../record.js';
import type { WarehouseSink } from '../warehouse/sink.js';
import type { HandlerHooks, RejectSink, SinkHandler } from './handler.js';

export class WarehouseHandler implements SinkHandler {
  readonly destination = 'warehouse' as const;
  /** One transaction per batch: a rolled-back one can be written again. */
  readonly idempotent = true;
  /** Only when the lake is off (else the lake consumer dead-letters invalid messages). */
  readonly reportsInvalid: boolean;
  readonly holdsMs = 0;
  private wrote: HandlerHooks['wrote'] = () => undefined;

  constructor(
    private readonly sink: WarehouseSink,
    private readonly feed: FeedSpec,
    private readonly metrics: RuntimeMetrics,
  ) {
    this.reportsInvalid = !feed.destinations.lake.enabled;
  }

  connect(hooks: HandlerHooks): void {
    this.wrote = hooks.wrote;
  }

  async start(partition: number): Promise<number | null> {
    return (await this.sink.loadOffsets([partition])).get(partition) ?? null;
  }

  async handle(
    partition: number,
    records: DecodedRecord[],
    nextOffset: number,
    reject: RejectSink,
  ): Promise<number> {
    const labels = { feed: this.feed.name, destination: 'warehouse' };
    const end = this.metrics.commitSeconds.startTimer(labels);
    const written = await this.sink.write([{ partition, records, nextOffset }], reject);
    end();
    this.metrics.rows.inc(labels, written.rows);
    if (written.rows > 0) this.wrote(null);
    return nextOffset;
  }

  due(): number[] {
    return [];
  }

  async flush(): Promise<null> {
    return null;
  }

  forget(): void {}

  close(): void {}
}
