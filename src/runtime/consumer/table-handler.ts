/**
 * A table feed's destination: turns each batch into snapshot steps (snapshot/steps.ts) and runs them against its
 * destination's {@link SnapshotTarget} — rows of a version written with the offset they reach, seals recorded in
 * the ledger once everything before them is durable — then publishes every version all partitions sealed
 * (ledger.settle; exactly once, whichever worker seals last). A crash between two steps replays from the durable
 * offset: rows are idempotent, seals too.
 */
import { FeedctlError } from '../../errors.js';
import type { Destination, FeedSpec } from '../../feeds/types.js';
import type { RuntimeMetrics } from '../metrics.js';
import type { DecodedRecord } from '../record.js';
import type { SnapshotLedger } from '../snapshot/ledger.js';
import { snapshotSteps, type RowsStep, type SealStep, type SnapshotPosition } from '../snapshot/steps.js';
import type { HandlerHooks, RejectSink, SinkHandler } from './handler.js';

/** What a destination does for the table handler. */
export interface SnapshotTarget {
  readonly destination: Destination;
  readonly idempotent: boolean;
  readonly reportsInvalid: boolean;
  readonly holdsMs: number;
  /** Takes the consumer's hooks (the lake's handler reports its data files through `wrote`). */
  connect?(hooks: HandlerHooks): void;
  /** The partition's durable offset (null: none); resets its state. */
  start(partition: number): Promise<number | null>;
  /** Writes (or buffers) one version's rows; resolves with the durable offset, or null while buffered. */
  writeRows(partition: number, step: RowsStep, reject: RejectSink): Promise<number | null>;
  /** Makes everything below `offset` durable (the offset included as the partition's position). */
  makeDurable(partition: number, offset: number): Promise<number | null>;
  /** Moves the partition's position to `offset` past messages that hold no rows; durable when the sink says so. */
  advance(partition: number, offset: number): Promise<number | null>;
  /** Rows written per version up to `version` (through) or of `version`, when counted outside the ledger. */
  counted(partition: number, version: number, through: boolean): ReadonlyMap<number, number> | null;
  /** The seal of `version` is recorded: its count is no longer needed. */
  sealed(partition: number, version: number): void;
  /** Publishes a sealed version; resolves with its lake path (null for the warehouse). */
  publish(version: number, rows: number): Promise<string | null>;
  due(nowMs: number): number[];
  flush(partition: number): Promise<number | null>;
  forget(partition: number): void;
  close(): void;
}

interface PartitionState extends SnapshotPosition {
  /** Offsets below it are handled (a retried batch skips them). */
  done: number | null;
  /** When the partition last received a record, or was started. */
  activeAt: number;
  /** When an idle seal was last considered. */
  idleCheckedAt: number;
}

export class TableHandler implements SinkHandler {
  readonly destination: Destination;
  readonly idempotent: boolean;
  readonly reportsInvalid: boolean;
  readonly holdsMs: number;
  private readonly partitions = new Map<number, PartitionState>();
  private readonly idleMs: number | null;
  /** A settle found another worker's lock held too long: the next timed flush settles again. */
  private unsettled = false;

  constructor(
    private readonly target: SnapshotTarget,
    private readonly ledger: SnapshotLedger,
    private readonly feed: FeedSpec,
    private readonly metrics: RuntimeMetrics,
  ) {
    ({ destination: this.destination, idempotent: this.idempotent } = target);
    this.reportsInvalid = target.reportsInvalid;
    const seal = feed.snapshot?.seal;
    this.idleMs = seal?.mode === 'idle' ? seal.idleSeconds * 1000 : null;
    this.holdsMs = Math.max(target.holdsMs, this.idleMs ?? 0);
  }

  connect(hooks: HandlerHooks): void {
    this.target.connect?.(hooks);
  }

  async start(partition: number): Promise<number | null> {
    const done = await this.target.start(partition);
    const position = await this.ledger.position(partition);
    const now = Date.now();
    this.partitions.set(partition, { ...position, done, activeAt: now, idleCheckedAt: now });
    await this.settle(); // finishes a publish a crash interrupted
    return done;
  }

  async handle(
    partition: number,
    records: DecodedRecord[],
    nextOffset: number,
    reject: RejectSink,
  ): Promise<number | null> {
    const st = this.state(partition);
    const fresh = st.done === null ? records : records.filter((r) => r.offset >= (st.done as number));
    if (fresh.length > 0) st.activeAt = Date.now();
    const plan = snapshotSteps(st, fresh, nextOffset, this.ledger.scope.mode);
    if (plan.stale.length > 0 && this.reportsInvalid) await reject(plan.stale);
    let durable: number | null = null;
    for (const step of plan.steps) {
      const d =
        step.kind === 'rows'
          ? await this.target.writeRows(partition, step, reject)
          : await this.seal(partition, step);
      durable = d ?? durable;
      st.done = step.kind === 'rows' ? step.end : step.next;
    }
    if ((st.done ?? Number.NEGATIVE_INFINITY) < nextOffset) {
      durable = (await this.target.advance(partition, nextOffset)) ?? durable;
      st.done = nextOffset;
    }
    return durable;
  }

  due(nowMs: number): number[] {
    const due = new Set(this.target.due(nowMs));
    const first = this.partitions.keys().next();
    if (this.unsettled && !first.done) due.add(first.value);
    if (this.idleMs !== null) {
      for (const [p, st] of this.partitions) {
        if (nowMs - st.activeAt >= this.idleMs && nowMs - st.idleCheckedAt >= this.idleMs) due.add(p);
      }
    }
    return [...due];
  }

  async flush(partition: number): Promise<number | null> {
    const durable = await this.target.flush(partition);
    if (this.unsettled) await this.settle();
    const st = this.partitions.get(partition);
    if (this.idleMs === null || st === undefined || Date.now() - st.activeAt < this.idleMs) return durable;
    st.idleCheckedAt = Date.now();
    const through = await this.ledger.highestOpen();
    if (through <= st.sealed) return durable;
    const at = st.done ?? durable;
    if (at === null) return durable; // nothing consumed yet: the seal waits for the first message
    const step: SealStep = {
      kind: 'seal',
      version: through,
      through: true,
      expected: null,
      at,
      next: at,
      marker: false,
    };
    return (await this.seal(partition, step)) ?? durable;
  }

  forget(partition: number): void {
    this.partitions.delete(partition);
    this.target.forget(partition);
  }

  close(): void {
    this.target.close();
  }

  /** Everything before the seal durable, the seal recorded, the offset past it durable; then publish. */
  private async seal(partition: number, step: SealStep): Promise<number | null> {
    const st = this.state(partition);
    await this.target.makeDurable(partition, step.at);
    if (step.marker) await this.ledger.open(step.version, null);
    const rows = this.target.counted(partition, step.version, step.through);
    await this.ledger.seal({
      partition,
      version: step.version,
      through: step.through,
      expected: step.expected,
      rows,
    });
    this.target.sealed(partition, step.version);
    st.sealed = Math.max(st.sealed, step.version);
    const durable = await this.target.makeDurable(partition, step.next);
    await this.settle();
    return durable;
  }

  private async settle(): Promise<void> {
    const settled = await this.ledger.settle((v, rows) => this.target.publish(v, rows));
    this.unsettled = !settled.settled;
    const labels = { feed: this.feed.name, destination: this.destination };
    if (settled.incomplete.length > 0)
      this.metrics.snapshotsIncomplete.inc(labels, settled.incomplete.length);
    if (settled.published.length === 0) return;
    this.metrics.snapshotsPublished.inc(labels, settled.published.length);
    const newest = Math.max(...settled.published.map((p) => p.version));
    this.metrics.snapshotVersion.set(labels, newest);
    for (const st of this.partitions.values()) st.published = Math.max(st.published, newest);
  }

  private state(partition: number): PartitionState {
    const st = this.partitions.get(partition);
    if (st) return st;
    throw new FeedctlError('INTERNAL', 'partition not started', {
      subsystem: 'runtime.snapshot',
      action: 'handle',
      id: `${this.feed.name}/${this.destination}/${partition}`,
    });
  }
}
