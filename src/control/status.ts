/**
 * What is running, from the control plane alone (two queries, one for snapshots.ts, one for controllers.ts): the consumers `reconcile` declared
 * (feedctl_consumers) against what live workers report in their heartbeats (feedctl_workers). A worker that has
 * not caught up with a new generation yet is a status here, never a plan change.
 */
import { DESTINATIONS, type Destination } from '../feeds/types.js';
import { jsonColumn, type Connection, type Pool, type RowDataPacket } from '../clients/mysql.js';
import { readControllers, renderController, type ControllerView } from './controllers.js';
import { readSnapshots, renderSnapshot, type SnapshotView } from './snapshots.js';

/** How one declared consumer (feed × destination) is doing. JSON-serialisable. */
export interface ConsumerView {
  feed: string;
  destination: Destination;
  generation: number;
  /** `running`: a live worker runs this generation; `restarting`: only older generations run; `stopped`: none. */
  verdict: 'running' | 'restarting' | 'not running' | 'skipped';
  workers: string[];
  /** Log end offsets minus the sinks' durable offsets, over the partitions live workers hold. */
  lag: number | null;
  /** Partitions live workers hold; a partition no live worker holds has unknown lag (see `detail`). */
  partitions: number[];
  /** Partitions with lag and no durable progress beyond the stall threshold (an alert condition). */
  stalled: number[];
  /** Partitions stopped by a terminal failure (e.g. a dead letter the broker refuses). */
  halted: number[];
  lastProgressAt: string | null;
  detail: string | null;
}

export interface WorkerView {
  instanceId: string;
  host: string;
  destinations: string;
  heartbeatAt: string;
  /** How the worker's warehouse sinks write (LOAD DATA LOCAL INFILE or multi-row upserts), null without any. */
  warehouseLoadPath: string | null;
}

export interface StatusView {
  workers: WorkerView[];
  consumers: ConsumerView[];
  /** Table feeds' snapshot versions per destination. */
  snapshots: SnapshotView[];
  /** Watch controllers seen in the last hour, with their last run. */
  controllers: ControllerView[];
}

interface Reported {
  feed: string;
  topic?: string;
  committed?: Record<string, number>;
  destination: string;
  generation: number;
  state: string;
  lag: number;
  partitions?: number[];
  topicPartitions?: number | null;
  stalled?: number[];
  halted?: number[];
  lastError?: string | null;
  lastProgressAt: string | null;
}

interface Report {
  consumers?: Reported[];
  warehouseLoadPath?: string | null;
  skipped?: Array<{ key: string; reason: string }>;
}

/** Heartbeats older than this belong to workers that are gone (3 missed beats). */
const LIVE_SECONDS = 15;

/** Log start and end offsets of a topic's partitions, for lag computed now rather than as last reported. */
export type LogOffsetsOf = (
  topic: string,
) => Promise<Array<{ partition: number; low: number; high: number }>>;

/**
 * With `logOffsets`, each running consumer's lag is recomputed now: the topic's current log end minus the highest
 * durable offset any live worker reported for each partition. Reports only ever understate durable offsets, so
 * this lag is never below the truth: lag 0 means the sink holds every offset, over every partition of the topic.
 */
export async function readStatus(db: Connection | Pool, logOffsets?: LogOffsetsOf): Promise<StatusView> {
  const [view, snapshots, controllers] = await Promise.all([
    readReported(db),
    readSnapshots(db),
    readControllers(db),
  ]);
  if (logOffsets) await Promise.all(view.consumers.map((c) => recomputeLag(c, view, logOffsets)));
  return { workers: view.workers, consumers: view.consumers, snapshots, controllers };
}

async function recomputeLag(c: ConsumerView, view: Gathered, logOffsets: LogOffsetsOf): Promise<void> {
  const reports = view.reportsOf.get(c) ?? [];
  const topic = reports.find((r) => r.topic)?.topic;
  if (!topic || c.verdict !== 'running') return;
  const offsets = await logOffsets(topic).catch(() => null);
  if (!offsets) return;
  let lag = 0;
  for (const o of offsets) {
    const durable = Math.max(-1, ...reports.map((r) => r.committed?.[String(o.partition)] ?? -1));
    lag += Math.max(0, o.high - (durable >= 0 ? durable : o.low));
  }
  c.lag = lag;
}

interface Gathered {
  workers: WorkerView[];
  consumers: ConsumerView[];
  reportsOf: Map<ConsumerView, Reported[]>;
}

async function readReported(db: Connection | Pool): Promise<Gathered> {
  const [[consumers], [workers]] = await Promise.all([
    db.query<RowDataPacket[]>(
      'SELECT feed_name, generation, lake_enabled, warehouse_enabled FROM feedctl_consumers ORDER BY feed_name',
    ),
    db.query<RowDataPacket[]>(
      `SELECT instance_id, host, destinations, DATE_FORMAT(heartbeat_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS at, status
       FROM feedctl_workers WHERE stopped_at IS NULL AND heartbeat_at > NOW(3) - INTERVAL ${LIVE_SECONDS} SECOND
       ORDER BY instance_id`,
    ),
  ]);
  const reports = workers.map((w) => ({ id: String(w.instance_id), report: jsonColumn<Report>(w.status) }));
  const loadPaths = new Map(reports.map(({ id, report }) => [id, report?.warehouseLoadPath ?? null]));
  const views: ConsumerView[] = [];
  const reportsOf = new Map<ConsumerView, Reported[]>();
  for (const c of consumers) {
    for (const destination of DESTINATIONS) {
      if (!c[`${destination}_enabled`]) continue;
      const generation = Number(c.generation);
      const mine = reportsFor(reports, String(c.feed_name), destination);
      const view = viewOf(String(c.feed_name), destination, generation, mine, reports);
      views.push(view);
      reportsOf.set(
        view,
        mine.filter(({ r }) => r.generation === generation).map(({ r }) => r),
      );
    }
  }
  return {
    reportsOf,
    workers: workers.map((w) => ({
      instanceId: String(w.instance_id),
      host: String(w.host),
      destinations: String(w.destinations),
      heartbeatAt: String(w.at),
      warehouseLoadPath: loadPaths.get(String(w.instance_id)) ?? null,
    })),
    consumers: views,
  };
}

/** The reports of one declared consumer (feed × destination), any generation, with the worker that sent each. */
function reportsFor(
  reports: Array<{ id: string; report: Report }>,
  feed: string,
  destination: string,
): Array<{ id: string; r: Reported }> {
  return reports.flatMap(({ id, report }) =>
    (report.consumers ?? [])
      .filter((r) => r.feed === feed && r.destination === destination)
      .map((r) => ({ id, r })),
  );
}

function viewOf(
  feed: string,
  destination: ConsumerView['destination'],
  generation: number,
  mine: Array<{ id: string; r: Reported }>,
  reports: Array<{ report: Report }>,
): ConsumerView {
  const current = mine.filter(({ r }) => r.generation === generation);
  const skipped = reports
    .flatMap(({ report }) => report.skipped ?? [])
    .find((s) => s.key === `${feed}/${destination}`);
  const base = {
    feed,
    destination,
    generation,
    workers: current.map(({ id }) => id),
    lag: null,
    partitions: [],
    stalled: [],
    halted: [],
    lastProgressAt: null,
  };
  if (current.length > 0) {
    const lag = current.reduce((sum, { r }) => sum + r.lag, 0);
    const lastProgressAt =
      current
        .map(({ r }) => r.lastProgressAt)
        .filter(Boolean)
        .sort()
        .at(-1) ?? null;
    const stalled = current.flatMap(({ r }) => r.stalled ?? []).sort((a, b) => a - b);
    const halted = current.flatMap(({ r }) => r.halted ?? []).sort((a, b) => a - b);
    const partitions = current.flatMap(({ r }) => r.partitions ?? []).sort((a, b) => a - b);
    const total = Math.max(0, ...current.map(({ r }) => r.topicPartitions ?? 0));
    const unassigned = Array.from({ length: total }, (_, i) => i).filter((p) => !partitions.includes(p));
    const states = [...new Set(current.map(({ r }) => r.state))].join(', ');
    const detail = [
      states === 'running' ? null : states,
      unassigned.length > 0
        ? `partition ${unassigned.join(', ')} not held by a live worker (lag unknown)`
        : null,
      stalled.length > 0 ? `STALLED: partition ${stalled.join(', ')} has lag and makes no progress` : null,
      halted.length > 0 ? `HALTED: partition ${halted.join(', ')}` : null,
      stalled.length + halted.length > 0 || states !== 'running' ? lastErrorOf(current) : null,
    ].filter(Boolean);
    return {
      ...base,
      verdict: 'running',
      lag,
      partitions,
      stalled,
      halted,
      lastProgressAt,
      detail: detail.length > 0 ? detail.join('; ') : null,
    };
  }
  if (mine.length > 0) {
    const old = [...new Set(mine.map(({ r }) => r.generation))].join(', ');
    return { ...base, verdict: 'restarting', detail: `workers still run generation ${old}` };
  }
  if (skipped) return { ...base, verdict: 'skipped', detail: skipped.reason };
  return { ...base, verdict: 'not running', detail: 'no live worker runs it: start `feedctl run`' };
}

function lastErrorOf(current: Array<{ r: Reported }>): string | null {
  const err = current.map(({ r }) => r.lastError).find(Boolean);
  return err ? `last error: ${err}` : null;
}

/** Human lines for a terminal. */
export function renderStatus(s: StatusView): string {
  const lines = [`Workers (${s.workers.length} alive):`];
  for (const w of s.workers) {
    lines.push(`  ${w.instanceId}  ${w.host}  ${w.destinations}  last heartbeat ${w.heartbeatAt}`);
    if (w.warehouseLoadPath) lines.push(`    warehouse writes: ${w.warehouseLoadPath}`);
  }
  lines.push(`Consumers (${s.consumers.length} declared):`);
  for (const c of s.consumers) {
    const lag = c.lag === null ? '' : `  lag ${c.lag}`;
    const detail = c.detail ? `  (${c.detail})` : '';
    lines.push(`  ${c.feed}/${c.destination}  generation ${c.generation}  ${c.verdict}${lag}${detail}`);
  }
  if (s.snapshots.length > 0) lines.push('Snapshots (table feeds):', ...s.snapshots.map(renderSnapshot));
  if (s.controllers.length > 0) lines.push('Watch controllers:', ...s.controllers.map(renderController));
  return `${lines.join('\n')}\n`;
}
