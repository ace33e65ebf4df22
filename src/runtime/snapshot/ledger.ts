/**
 * The snapshot ledger of one table feed and destination (migrations/0005_snapshots.up.sql), as the runtime uses
 * it: versions are opened when first seen (their snapshot date fixed once, for every partition and worker),
 * partitions record their rows and seals, and {@link SnapshotLedger.settle} turns sealed versions into published
 * ones — under a MySQL named lock per (database, feed, destination), so whichever worker holds the last partition, each
 * version is published once and in order.
 */
import type { Pool, PoolConnection, RowDataPacket } from '../../clients/mysql.js';
import { FeedctlError, wrapError } from '../../errors.js';
import type { Destination } from '../../feeds/types.js';
import { logger } from '../../log.js';
import { SNAPSHOT_LEDGER as L, type Statement } from '../../shape.js';
import { lockName } from '../../sql/locks.js';
import { parseDate } from '../decode/time.js';
import { utcDay } from '../lake/paths.js';
import { formatDate } from '../warehouse/values.js';
import { verdicts, type PartitionRow, type SealMode, type Verdict } from './verdict.js';

/** How long settle waits for another worker's settle of the same feed before leaving it to that worker. */
const LOCK_WAIT_SECONDS = 10;

export interface LedgerScope {
  /** The database of the ledger (its named lock is server-wide, so its name carries the database). */
  database: string;
  feed: string;
  destination: Destination;
  /** Topic partitions that must each seal a version. */
  partitions: number;
  mode: SealMode;
  /** The generation of the consumer that uses this ledger (its log lines carry it; versions span generations). */
  generation: number;
}

/** A partition's seal at one offset: `version` itself (marker) or everything up to it (`through`). */
export interface Seal {
  partition: number;
  version: number;
  through: boolean;
  /** The end marker's `snapshot_rows`, or null. */
  expected: number | null;
  /** Rows written per version, when the destination counts outside the ledger (the lake); null: counted here. */
  rows: ReadonlyMap<number, number> | null;
}

/** Publishes one sealed version in the destination; resolves with the lake path (null for the warehouse). */
export type Publisher = (version: number, rows: number) => Promise<string | null>;

export interface Settled {
  /** False when another worker held the feed's lock for longer than the wait: settle again later. */
  settled: boolean;
  published: { version: number; rows: number }[];
  incomplete: { version: number; reason: string }[];
}

export class SnapshotLedger {
  private readonly dates = new Map<number, number>();
  private readonly log;

  constructor(
    private readonly pool: Pool,
    readonly scope: LedgerScope,
  ) {
    const { feed, destination, generation } = scope;
    this.log = logger('runtime.snapshot', { feed, destination, generation });
  }

  /** Opens a version (idempotent); resolves with its snapshot date (days since 1970-01-01), fixed at first sight. */
  async open(version: number, dateHint: number | null): Promise<number> {
    const known = this.dates.get(version);
    if (known !== undefined) return known;
    const { feed, destination, partitions } = this.scope;
    const day = dateHint ?? utcDay(Date.now());
    const rows = await this.run('open version', async (c) => {
      await c.query(`INSERT IGNORE INTO ${L.versions} (feed_name, version, snapshot_date) VALUES (?, ?, ?)`, [
        feed,
        version,
        formatDate(day),
      ]);
      await c.query(
        `INSERT IGNORE INTO ${L.snapshots} (feed_name, version, destination, state, partitions) VALUES (?, ?, ?, 'open', ?)`,
        [feed, version, destination, partitions],
      );
      const [r] = await c.query<RowDataPacket[]>(
        `SELECT DATE_FORMAT(snapshot_date, '%Y-%m-%d') AS d FROM ${L.versions} WHERE feed_name = ? AND version = ?`,
        [feed, version],
      );
      return r;
    });
    const date = parseDate(String(rows[0]?.d));
    if (typeof date === 'string') throw stored(this.scope, date);
    this.dates.set(version, date);
    return date;
  }

  /** The highest version this partition sealed, and the highest published (0 for none). */
  async position(partition: number): Promise<{ sealed: number; published: number }> {
    const { feed, destination } = this.scope;
    return this.run('read position', async (c) => {
      const [s] = await c.query<RowDataPacket[]>(
        `SELECT COALESCE(MAX(version), 0) AS v FROM ${L.partitions} WHERE feed_name = ? AND destination = ? AND partition_id = ? AND sealed_at IS NOT NULL`,
        [feed, destination, partition],
      );
      const [p] = await c.query<RowDataPacket[]>(
        `SELECT COALESCE(MAX(version), 0) AS v FROM ${L.snapshots} WHERE feed_name = ? AND destination = ? AND state IN ('published', 'expired')`,
        [feed, destination],
      );
      return { sealed: Number(s[0]?.v ?? 0), published: Number(p[0]?.v ?? 0) };
    });
  }

  /** The highest version still open (0 for none): what an idle partition seals through. */
  async highestOpen(): Promise<number> {
    const { feed, destination } = this.scope;
    return this.run('read open versions', async (c) => {
      const [r] = await c.query<RowDataPacket[]>(
        `SELECT COALESCE(MAX(version), 0) AS v FROM ${L.snapshots} WHERE feed_name = ? AND destination = ? AND state = 'open'`,
        [feed, destination],
      );
      return Number(r[0]?.v ?? 0);
    });
  }

  /** Adds rows written to a partition's count of a version: run in the transaction that writes them. */
  countSql(partition: number, version: number, rows: number): Statement {
    return {
      sql: `INSERT INTO ${L.partitions} (feed_name, version, destination, partition_id, rows_written) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE rows_written = rows_written + VALUES(rows_written)`,
      values: [this.scope.feed, version, this.scope.destination, partition, rows],
    };
  }

  /** The statements recording a seal (idempotent): run them with the offset past it, or alone (the lake). */
  sealSql(s: Seal): Statement[] {
    const { feed, destination } = this.scope;
    const out: Statement[] = [];
    if (s.through && s.rows === null) {
      out.push({
        sql: `UPDATE ${L.partitions} SET sealed_at = NOW(3) WHERE feed_name = ? AND destination = ? AND partition_id = ? AND version < ? AND sealed_at IS NULL`,
        values: [feed, destination, s.partition, s.version],
      });
    }
    const counted = [...(s.rows ?? [])].filter(([v]) => (s.through ? v < s.version : false));
    const rows = [...counted, [s.version, s.rows?.get(s.version) ?? 0] as const].map(([v, n]) => [
      feed,
      v,
      destination,
      s.partition,
      n,
      v === s.version ? s.expected : null,
    ]);
    const keep = s.rows === null ? 'rows_written' : 'VALUES(rows_written)';
    out.push({
      sql: `INSERT INTO ${L.partitions} (feed_name, version, destination, partition_id, rows_written, rows_expected) VALUES ? ON DUPLICATE KEY UPDATE rows_written = ${keep}, rows_expected = VALUES(rows_expected)`,
      values: [rows],
    });
    out.push({
      sql: `UPDATE ${L.partitions} SET sealed_at = NOW(3) WHERE feed_name = ? AND destination = ? AND partition_id = ? AND version IN (?) AND sealed_at IS NULL`,
      values: [feed, destination, s.partition, rows.map((r) => r[1])],
    });
    return out;
  }

  /** Records a seal on its own (the lake, whose rows are already durable in its files). */
  async seal(s: Seal): Promise<void> {
    const stmts = this.sealSql(s);
    await this.run('record seal', async (c) => {
      for (const st of stmts) await c.query(st.sql, st.values);
    });
  }

  /**
   * Seals the open versions every partition has sealed (or marks them incomplete), publishes the sealed ones in
   * ascending order with `publish`, and (marker seal) marks open versions below the newest published incomplete.
   * Idempotent; when another worker holds the feed's lock past the wait, it returns `settled: false`.
   */
  async settle(publish: Publisher): Promise<Settled> {
    const out: Settled = { settled: false, published: [], incomplete: [] };
    const lock = lockName(this.scope.database, 'snapshot', this.scope.feed, this.scope.destination);
    await this.run('settle', async (c) => {
      const [got] = await c.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS ok', [lock, LOCK_WAIT_SECONDS]);
      if (Number(got[0]?.ok) !== 1) return;
      out.settled = true;
      try {
        for (const v of await this.judge(c)) if (v.state === 'incomplete') out.incomplete.push(v);
        await this.publishSealed(c, publish, out);
        if (this.scope.mode === 'marker' && out.published.length > 0) await this.supersede(c, out);
      } finally {
        await c.query('SELECT RELEASE_LOCK(?)', [lock]);
      }
    });
    for (const v of out.incomplete) this.log.warn(v, 'snapshot version incomplete');
    for (const v of out.published) this.log.info(v, 'snapshot version published');
    return out;
  }

  /** Applies the verdict of every open version. */
  private async judge(c: PoolConnection): Promise<Verdict[]> {
    const { feed, destination, partitions, mode } = this.scope;
    const [open] = await c.query<RowDataPacket[]>(
      `SELECT version FROM ${L.snapshots} WHERE feed_name = ? AND destination = ? AND state = 'open' ORDER BY version`,
      [feed, destination],
    );
    if (open.length === 0) return [];
    const versions = open.map((r) => Number(r.version));
    const [rows] = await c.query<RowDataPacket[]>(
      `SELECT version, partition_id, rows_written, rows_expected, sealed_at IS NOT NULL AS sealed FROM ${L.partitions} WHERE feed_name = ? AND destination = ? AND version >= ?`,
      [feed, destination, versions[0]],
    );
    const decided = verdicts(versions, rows.map(partitionRow), partitions, mode);
    for (const v of decided) {
      if (v.state === 'open') continue;
      await c.query(
        `UPDATE ${L.snapshots} SET state = ?, rows_total = ?, reason = ?, sealed_at = NOW(3) WHERE feed_name = ? AND destination = ? AND version = ? AND state = 'open'`,
        [
          v.state,
          v.rows,
          v.state === 'incomplete' ? v.reason.slice(0, 1024) : null,
          feed,
          destination,
          v.version,
        ],
      );
    }
    return decided;
  }

  private async publishSealed(c: PoolConnection, publish: Publisher, out: Settled): Promise<void> {
    const { feed, destination } = this.scope;
    const [sealed] = await c.query<RowDataPacket[]>(
      `SELECT version, rows_total FROM ${L.snapshots} WHERE feed_name = ? AND destination = ? AND state = 'sealed' ORDER BY version`,
      [feed, destination],
    );
    for (const r of sealed) {
      const version = Number(r.version);
      const rows = Number(r.rows_total ?? 0);
      const path = await publish(version, rows);
      await c.query(
        `UPDATE ${L.snapshots} SET state = 'published', published_at = NOW(3), lake_path = ? WHERE feed_name = ? AND destination = ? AND version = ? AND state = 'sealed'`,
        [path, feed, destination, version],
      );
      out.published.push({ version, rows });
    }
  }

  /** Marker seal: a version still open below a published one can never be complete. */
  private async supersede(c: PoolConnection, out: Settled): Promise<void> {
    const { feed, destination } = this.scope;
    const newest = Math.max(...out.published.map((p) => p.version));
    const reason = `superseded by version ${newest} before every partition sent its end marker`;
    const [stale] = await c.query<RowDataPacket[]>(
      `SELECT version FROM ${L.snapshots} WHERE feed_name = ? AND destination = ? AND state = 'open' AND version < ?`,
      [feed, destination, newest],
    );
    if (stale.length === 0) return;
    await c.query(
      `UPDATE ${L.snapshots} SET state = 'incomplete', reason = ? WHERE feed_name = ? AND destination = ? AND state = 'open' AND version < ?`,
      [reason, feed, destination, newest],
    );
    for (const r of stale) out.incomplete.push({ version: Number(r.version), reason });
  }

  private async run<T>(action: string, fn: (c: PoolConnection) => Promise<T>): Promise<T> {
    let conn: PoolConnection | undefined;
    try {
      conn = await this.pool.getConnection();
      return await fn(conn);
    } catch (err) {
      throw wrapError(err, 'MYSQL_QUERY_FAILED', {
        subsystem: 'runtime.snapshot',
        action,
        id: `${this.scope.feed}/${this.scope.destination}`,
        retriable: true,
      });
    } finally {
      conn?.release();
    }
  }
}

function partitionRow(r: RowDataPacket): PartitionRow {
  return {
    version: Number(r.version),
    partition: Number(r.partition_id),
    rowsWritten: Number(r.rows_written),
    rowsExpected: r.rows_expected === null ? null : Number(r.rows_expected),
    sealed: Number(r.sealed) === 1,
  };
}

/** The ledger holds a snapshot date that is not one (never written by feedctl). */
function stored(scope: LedgerScope, detail: string): FeedctlError {
  return new FeedctlError('INTERNAL', `snapshot date in the ledger: ${detail}`, {
    subsystem: 'runtime.snapshot',
    action: 'open version',
    id: `${scope.feed}/${scope.destination}`,
  });
}
