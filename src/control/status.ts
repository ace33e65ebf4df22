/**
 * What is running, from the control plane alone (two queries, one for snapshots.ts, one for controllers.ts): the consumers `reconcile` declared
 * (feedctl_consumers) against what live workers report in their heartbeats (feedctl_workers). A worker that has
 * not caught up with a new generation yet is a status here, never a plan change.
 */
import { DESTINATIONS, type Destination } from '../feeds/types.js';
import { jsonColumn, type Connection, type Pool, type RowDataPacket } from '../clients/mysql.js';
import { readControllers, type ControllerView } from './controllers.js';
import { readSnapshots, type SnapshotView } from './snapshots.js';

/** How one declared consumer (feed × destination) is doing. JSON-serialisable. */
export interface ConsumerView {
  feed: string;
  destination: Destination;
  generation: number;
  /** Generations live workers run for it (the declared one once they caught up; older ones while restarting). */
  runningGenerations: number[];
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
  /** Log end − durable offset per partition (`"0": 12`), over the partitions live workers hold. */
  lagByPartition: Record<string, number>;
  /** Messages handled per second over the last minute and the last five, summed over the workers. */
  perSecond1m: number;
  perSecond5m: number;
  /** The sink's newest durable write: when, and the lake file's key (null for the warehouse). */
  lastWrite: { at: string; file: string | null } | null;
  /** Dead letters the running consumers wrote since they started, and the last few (newest first). */
  deadLetters: number;
  recentDeadLetters: RecentDeadLetter[];
  detail: string | null;
}

/** A dead letter as a worker reports it: coordinates and why, never the message. */
export interface RecentDeadLetter {
  at: string;
  partition: number;
  offset: string;
  stage: string;
  reason: string;
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
  lagByPartition?: Record<string, number>;
  rate?: { perSecond1m: number; perSecond5m: number };
  lastWrite?: { at: string; file: string | null } | null;
  deadLetters?: number;
  recentDeadLetters?: RecentDeadLetter[];
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
  const byPartition: Record<string, number> = {};
  for (const o of offsets) {
    const durable = Math.max(-1, ...reports.map((r) => r.committed?.[String(o.partition)] ?? -1));
    byPartition[String(o.partition)] = Math.max(0, o.high - (durable >= 0 ? durable : o.low));
  }
  c.lagByPartition = byPartition;
  c.lag = Object.values(byPartition).reduce((a, b) => a + b, 0);
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
  const base: ConsumerView = {
    feed,
    destination,
    generation,
    runningGenerations: [...new Set(mine.map(({ r }) => r.generation))].sort((a, b) => a - b),
    verdict: 'not running',
    workers: current.map(({ id }) => id),
    lag: null,
    partitions: [],
    stalled: [],
    halted: [],
    lastProgressAt: null,
    lagByPartition: {},
    perSecond1m: 0,
    perSecond5m: 0,
    lastWrite: null,
    deadLetters: 0,
    recentDeadLetters: [],
    detail: null,
  };
  if (current.length > 0) return { ...base, ...runningView(current.map(({ r }) => r)) };
  if (mine.length > 0) {
    const old = [...new Set(mine.map(({ r }) => r.generation))].join(', ');
    return { ...base, verdict: 'restarting', detail: `workers still run generation ${old}` };
  }
  const skipped = reports
    .flatMap(({ report }) => report.skipped ?? [])
    .find((s) => s.key === `${feed}/${destination}`);
  if (skipped) return { ...base, verdict: 'skipped', detail: skipped.reason };
  return { ...base, detail: 'no live worker runs it: start `feedctl run`' };
}

/** A consumer the live workers run at its declared generation: their reports, summed. */
function runningView(current: Reported[]): Partial<ConsumerView> {
  const sorted = (pick: (r: Reported) => number[] | undefined) =>
    current.flatMap((r) => pick(r) ?? []).sort((a, b) => a - b);
  const partitions = sorted((r) => r.partitions);
  const stalled = sorted((r) => r.stalled);
  const halted = sorted((r) => r.halted);
  const sum = (pick: (r: Reported) => number | undefined) =>
    Math.round(current.reduce((n, r) => n + (pick(r) ?? 0), 0) * 10) / 10;
  return {
    verdict: 'running',
    lag: current.reduce((n, r) => n + r.lag, 0),
    partitions,
    stalled,
    halted,
    lastProgressAt: newest(current.map((r) => r.lastProgressAt)),
    lagByPartition: Object.assign({}, ...current.map((r) => r.lagByPartition ?? {})) as Record<
      string,
      number
    >,
    perSecond1m: sum((r) => r.rate?.perSecond1m),
    perSecond5m: sum((r) => r.rate?.perSecond5m),
    lastWrite: current.map((r) => r.lastWrite ?? null).reduce(newerWrite, null),
    deadLetters: current.reduce((n, r) => n + (r.deadLetters ?? 0), 0),
    recentDeadLetters: current
      .flatMap((r) => r.recentDeadLetters ?? [])
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, 5),
    detail: runningDetail(current, partitions, stalled, halted),
  };
}

function runningDetail(current: Reported[], partitions: number[], stalled: number[], halted: number[]) {
  const total = Math.max(0, ...current.map((r) => r.topicPartitions ?? 0));
  const unassigned = Array.from({ length: total }, (_, i) => i).filter((p) => !partitions.includes(p));
  const states = [...new Set(current.map((r) => r.state))].join(', ');
  const detail = [
    states === 'running' ? null : states,
    unassigned.length > 0
      ? `partition ${unassigned.join(', ')} not held by a live worker (lag unknown)`
      : null,
    stalled.length > 0 ? `STALLED: partition ${stalled.join(', ')} has lag and makes no progress` : null,
    halted.length > 0 ? `HALTED: partition ${halted.join(', ')}` : null,
    stalled.length + halted.length > 0 || states !== 'running' ? lastErrorOf(current) : null,
  ].filter(Boolean);
  return detail.length > 0 ? detail.join('; ') : null;
}

function newest(times: Array<string | null>): string | null {
  return (
    times
      .filter((t): t is string => Boolean(t))
      .sort()
      .at(-1) ?? null
  );
}

type Write = ConsumerView['lastWrite'];
const newerWrite = (a: Write, b: Write): Write => (!a ? b : !b ? a : b.at > a.at ? b : a);

function lastErrorOf(current: Reported[]): string | null {
  const err = current.map((r) => r.lastError).find(Boolean);
  return err ? `last error: ${err}` : null;
}
