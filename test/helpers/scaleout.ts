/**
 * Scale-out tests on an S3 lake: several `feedctl run` processes by name (each start logs to its own file in
 * `env.scratch`), which partitions each live worker holds (from their heartbeats in feedctl_workers, the rows
 * `feedctl status` is built from), and the exactly-once check per partition: every offset of the topic's log
 * exactly once in the lake (DuckDB over a local copy of the S3 objects) and in the warehouse.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { withAdmin } from '../../src/clients/kafka.js';
import { jsonColumn, withMysql, type RowDataPacket } from '../../src/clients/mysql.js';
import type { ConsumerView, StatusView } from '../../src/control/status.js';
import { quoteIdent } from '../../src/sql/ident.js';
import type { FeedctlHarness } from './cli.js';
import { duck, lit } from './duckdb.js';
import type { TestEnv } from './env.js';
import { listLakeObjects, readLakeObject } from './s3.js';
import { exited, spawnWorker } from './workers.js';

/** Named `feedctl run` processes; every start of a name gets its own log `worker-<name>-<n>.log`. */
export class Workers {
  private readonly children = new Map<string, ChildProcess>();
  private readonly logs = new Map<string, string[]>();

  constructor(
    private readonly env: TestEnv,
    private readonly fc: FeedctlHarness,
    private readonly vars: Record<string, string> = {},
  ) {}

  start(name: string): ChildProcess {
    const logs = this.logs.get(name) ?? [];
    const logName = `${name}-${logs.length + 1}`;
    this.logs.set(name, [...logs, logName]);
    const child = spawnWorker(this.env, this.fc, logName, this.vars);
    this.children.set(name, child);
    return child;
  }

  get(name: string): ChildProcess {
    const c = this.children.get(name);
    if (!c) throw new Error(`no worker ${name}`);
    return c;
  }

  /** The log name of the latest start of `name` (for waitRunning and friends). */
  logName(name: string): string {
    const n = this.logs.get(name)?.at(-1);
    if (!n) throw new Error(`no worker ${name}`);
    return n;
  }

  /** The instance id worker `name` (latest start) announced (`feedctl worker <id> running`); null before. */
  instanceId(name: string): string | null {
    const file = path.join(this.env.scratch, `worker-${this.logName(name)}.log`);
    return /feedctl worker (\S+) running/.exec(readFileSync(file, 'utf8'))?.[1] ?? null;
  }

  /** Everything worker `name` wrote to stderr, over all its starts. */
  log(name: string): string {
    const names = this.logs.get(name) ?? [];
    return names.map((n) => readFileSync(path.join(this.env.scratch, `worker-${n}.log`), 'utf8')).join('');
  }

  /** Every worker's stderr (for failure messages). */
  allLogs(): string {
    return [...this.logs.keys()].map((n) => this.log(n)).join('');
  }

  /** Signals a worker and waits for it to exit; with SIGTERM it must exit 0. */
  async stop(name: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = this.get(name);
    const done = exited(child);
    child.kill(signal);
    const end = await done;
    if (signal === 'SIGTERM') expect(end, `worker ${name} on SIGTERM`).toEqual({ code: 0, signal: null });
    this.children.delete(name);
  }

  /** Ends every worker still running (a stopped one is continued first). */
  async killAll(): Promise<void> {
    for (const child of this.children.values()) {
      child.kill('SIGCONT');
      const done = exited(child);
      child.kill('SIGKILL');
      await done;
    }
    this.children.clear();
  }
}

/** The JSON log lines of a worker's stderr (other lines skipped). */
export function logLines(text: string): Array<Record<string, unknown>> {
  return text.split('\n').flatMap((l) => {
    if (!l.startsWith('{')) return [];
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** The partitions each live worker's consumer of `feed` × `destination` holds, by worker instance id. */
export async function liveAssignments(
  config: Config,
  feed: string,
  destination: 'lake' | 'warehouse',
): Promise<Map<string, number[]>> {
  type Report = { consumers?: Array<{ feed: string; destination: string; partitions?: number[] }> };
  const [rows] = await withMysql(config, (c) =>
    c.query<RowDataPacket[]>(
      `SELECT instance_id, status FROM feedctl_workers
       WHERE stopped_at IS NULL AND heartbeat_at > NOW(3) - INTERVAL 15 SECOND`,
    ),
  );
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const mine = (jsonColumn<Report>(r.status)?.consumers ?? []).filter(
      (c) => c.feed === feed && c.destination === destination,
    );
    out.set(
      String(r.instance_id),
      mine.flatMap((c) => c.partitions ?? []).sort((a, b) => a - b),
    );
  }
  return out;
}

/** The consumers of `feedctl status -o json` (none when it fails). */
export async function statusConsumers(fc: FeedctlHarness): Promise<ConsumerView[]> {
  const r = await fc.cli('status', '-o', 'json');
  return r.code === 0 ? (JSON.parse(r.stdout) as StatusView).consumers : [];
}

/** True when status shows lag 0 over `partitions` partitions for both consumers of the feed. */
export function caughtUp(views: ConsumerView[], feed: string, partitions: number): boolean {
  const mine = views.filter((v) => v.feed === feed);
  return mine.length === 2 && mine.every((v) => v.lag === 0 && v.partitions.length === partitions);
}

/** Per partition: rows, distinct offsets, lowest and highest offset. */
export type OffsetStats = Record<number, { rows: number; distinct: number; min: number; max: number }>;

/** What the topic's log holds, in the same shape: every offset from log start to log end − 1, once. */
export async function topicStats(config: Config, topic: string): Promise<OffsetStats> {
  const offsets = await withAdmin(config, (a) => a.fetchTopicOffsets(topic));
  const out: OffsetStats = {};
  for (const o of offsets) {
    const [low, high] = [Number(o.low), Number(o.high)];
    if (high > low) out[o.partition] = { rows: high - low, distinct: high - low, min: low, max: high - 1 };
  }
  return out;
}

function statsOf(rows: Record<string, unknown>[]): OffsetStats {
  const out: OffsetStats = {};
  for (const r of rows) {
    out[Number(r.p)] = { rows: Number(r.n), distinct: Number(r.d), min: Number(r.lo), max: Number(r.hi) };
  }
  return out;
}

/** Copies the S3 lake's objects under `under` into a new local folder, keeping their keys as paths. */
export async function downloadLake(config: Config, under: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'feedctl-s3-lake-copy-'));
  const objects = await listLakeObjects(config, under);
  for (let i = 0; i < objects.length; i += 16) {
    await Promise.all(
      objects.slice(i, i + 16).map(async (o) => {
        const file = path.join(dir, o.key);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, await readLakeObject(config, o.key));
      }),
    );
  }
  return dir;
}

/** The stream feed's lake offsets per partition, read by DuckDB from a local copy of the S3 lake. */
export async function lakeStats(config: Config, feed: string): Promise<OffsetStats> {
  const dir = await downloadLake(config, `streams/${feed}/`);
  const glob = lit(path.join(dir, 'streams', feed, '**', '*.parquet'));
  try {
    return statsOf(
      await duck(
        `SELECT _kafka_partition AS p, count(*) AS n, count(DISTINCT _kafka_offset) AS d,
                min(_kafka_offset) AS lo, max(_kafka_offset) AS hi
         FROM read_parquet(${glob}, hive_partitioning = true) GROUP BY 1`,
      ),
    );
  } catch (err) {
    if (/No files found/i.test(String(err))) return {};
    throw err;
  }
}

/** A warehouse table's offsets per partition. */
export async function tableStats(config: Config, table: string): Promise<OffsetStats> {
  return withMysql(config, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(
      `SELECT _kafka_partition AS p, COUNT(*) AS n, COUNT(DISTINCT _kafka_offset) AS d,
              MIN(_kafka_offset) AS lo, MAX(_kafka_offset) AS hi
       FROM ${quoteIdent(table)} GROUP BY _kafka_partition`,
    );
    return statsOf(rows);
  });
}

/**
 * With the producer stopped: waits until `feedctl status` shows lag 0 over every partition for both consumers,
 * then the lake and the warehouse must each hold every offset of the topic's log exactly once. Returns the
 * number of offsets.
 */
export async function expectEveryOffsetOnce(
  env: TestEnv,
  fc: FeedctlHarness,
  feed: string,
  topic: string,
  partitions: number,
  logs: () => string,
): Promise<number> {
  const log = await topicStats(env.config, topic);
  let views: ConsumerView[] = [];
  const deadline = Date.now() + 120_000;
  while (!caughtUp((views = await statusConsumers(fc)), feed, partitions)) {
    if (Date.now() > deadline) {
      const detail = JSON.stringify({ log, status: views }, null, 1);
      throw new Error(
        `status never showed lag 0 on ${partitions} partitions\n${detail}\n${logs().slice(-6000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(Object.keys(log), 'every partition got messages').toHaveLength(partitions);
  expect(await lakeStats(env.config, feed), 'lake: every offset exactly once').toEqual(log);
  expect(await tableStats(env.config, `fact_${feed}`), 'warehouse: every offset exactly once').toEqual(log);
  return Object.values(log).reduce((n, s) => n + s.rows, 0);
}
