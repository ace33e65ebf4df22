/**
 * The warehouse sink: one generic, schema-driven writer per feed that upserts decoded records into the feed's
 * table and stores the consumed offsets in the same transaction, so a crash anywhere replays from exactly where the
 * last commit ended (the consumer seeks to {@link WarehouseSink.loadOffsets} on assignment).
 *
 * One write = one transaction on one pooled connection:
 * 1. lock the partitions' offset rows and check the fence (offsets.ts) → OFFSET_FENCED, nothing written;
 * 2. upsert the rows: a large write through `LOAD DATA LOCAL INFILE`, straight into the table when its keys are
 *    new, else into a temporary table and one guarded `INSERT … SELECT` (bulk.ts), others (and the bulk path's
 *    fallbacks) in multi-row chunks of ≤ 1000 (sql.ts, upsert.ts); rows MySQL rejects are set aside;
 * 3. upsert each partition's next offset;
 * 4. `beforeCommit(rejected)` (the caller sends them to the dead-letter topic); if it throws, roll back;
 * 5. COMMIT.
 * Failures roll back and throw a FeedctlError: retriable for lost connections, deadlocks and lock wait timeouts
 * (the caller retries the same batches with src/runtime/retry.ts and pauses its consumer meanwhile), not retriable
 * otherwise. A lost connection is destroyed, never returned to the pool, so a retry after a server restart gets a
 * fresh one. When a COMMIT's answer is lost the outcome is unknown; the retry then meets the fence and the consumer
 * re-seeks.
 *
 * Row rule: `snapshot_date` = UTC date of the record's event time for streams, the version's date for table
 * feeds; `snapshot_version` = 0 for streams (unversioned), the snapshot version for table feeds; `_event_time`,
 * `_kafka_partition`, `_kafka_offset` from the record (values.ts). Older events never overwrite newer ones (sql.ts).
 *
 * Concurrent `write` calls are safe for disjoint partitions (each has its own transaction and fence); one
 * partition must never be in two writes at once.
 */
import type { Pool, PoolConnection } from '../../clients/mysql.js';
import type { LocalInfileMode } from '../../config/config.js';
import { FeedctlError } from '../../errors.js';
import type { FeedSpec } from '../../feeds/types.js';
import type { Statement } from '../../shape.js';
import { logger, partitionFields } from '../../log.js';
import type { DecodedRecord } from '../record.js';
import { isConnectionLost, warehouseError } from './failures.js';
import { checkFence, readOffsets, storeOffsetsSql, type Offsets, type OffsetsScope } from './offsets.js';
import { BULK_PART_ROWS, BULK_SLICE_ROWS, BulkRows, bulkUpsert, DirectLoads } from './bulk.js';
import { prepareTemp, type TempTable } from './bulk-temp.js';
import { registerMode, useBulk } from './load-path.js';
import { bulkTemplate, MEMORY_TABLE_BYTES, memoryRowBytes, type BulkTemplate } from './bulk-sql.js';
import { chunked, preparedChunks, type RejectedRecord } from './rows.js';
import type { RowContext } from './values.js';
import { upsertTemplate, type UpsertTemplate } from './sql.js';
import { upsertChunks } from './upsert.js';

/** The records of one partition, consumed from the sink's expected offset up to (excluding) `nextOffset`. */
export interface WarehouseBatch {
  partition: number;
  /** In offset order; every `record.partition` equals `partition`. */
  records: readonly DecodedRecord[];
  /** The offset to resume from once these records are stored. */
  nextOffset: number;
}

/** Receives the rows MySQL (or value conversion) rejected, before the commit; called on every write. */
export type BeforeCommit = (rejected: RejectedRecord[]) => Promise<void>;

/** Table feeds: the rows' snapshot, and statements to run in the same transaction (the snapshot ledger's). */
export interface WriteOptions {
  /** The rows' `snapshot_version` (0, the default, for streams). */
  snapshotVersion?: number;
  /** The rows' `snapshot_date` as a day number; default: the UTC date of each row's event time. */
  snapshotDate?: number | null;
  /** Statements run after the offsets, given how many rows were stored (not rejected). */
  extra?: (stored: number) => Statement[];
}

/** What a committed write stored: rows upserted (including replays the guard kept unchanged) and rejected. */
export interface WriteResult {
  rows: number;
  rejected: number;
}

export interface WarehouseSinkOptions {
  pool: Pool;
  feed: FeedSpec;
  /** The consumer generation (feedctl_consumers.generation), stamped on every offset row. */
  generation: number;
  topic: string;
  /** `warehouse.localInfile` (default auto): when writes go through LOAD DATA LOCAL INFILE (bulk.ts). */
  localInfile?: LocalInfileMode;
}

/**
 * Session settings, set once per pooled connection: UTC; strict mode so MySQL rejects bad values instead of
 * truncating them (no NO_BACKSLASH_ESCAPES, for client-side escaping); REPEATABLE READ for the offset fence.
 */
const SESSION_SQL = [
  "SET SESSION time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
  'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ',
];
const prepared = new WeakSet<object>();

export class WarehouseSink {
  readonly #pool: Pool;
  readonly #feed: FeedSpec;
  readonly #generation: number;
  readonly #scope: OffsetsScope;
  readonly #template: UpsertTemplate;
  readonly #bulk: BulkTemplate;
  readonly #mode: LocalInfileMode;
  readonly #direct = new DirectLoads();
  /** Per assigned partition, the stored offset the next write must find (null: none yet). */
  readonly #expected: Offsets = new Map();
  readonly #log;

  constructor(opts: WarehouseSinkOptions) {
    this.#pool = opts.pool;
    this.#feed = opts.feed;
    this.#generation = opts.generation;
    this.#scope = { feed: opts.feed.name, topic: opts.topic };
    this.#template = upsertTemplate(opts.feed);
    const rowBytes = memoryRowBytes(opts.feed.schema.fields);
    const memoryRows = rowBytes === null ? 0 : Math.floor(MEMORY_TABLE_BYTES / rowBytes);
    this.#bulk = bulkTemplate(this.#template, memoryRows >= BULK_PART_ROWS ? memoryRows : 0);
    this.#mode = opts.localInfile ?? 'auto';
    registerMode(this.#mode);
    this.#log = logger('runtime.warehouse', {
      feed: opts.feed.name,
      destination: 'warehouse',
      generation: opts.generation,
    });
  }

  /** Next offsets stored for these partitions (null when none): the consumer seeks there on assignment. */
  async loadOffsets(partitions: number[]): Promise<Map<number, number | null>> {
    const stored = await this.#withConnection('load offsets', (conn) =>
      readOffsets(conn, this.#scope, partitions, false),
    );
    for (const [p, offset] of stored) this.#expected.set(p, offset);
    return new Map(stored);
  }

  /**
   * Upserts every record and stores each partition's nextOffset in one transaction (bulk path or chunks of ≤ 1000
   * rows, see the module comment).
   * `beforeCommit` receives rows MySQL rejected, as DecodeFailure-tagged records, before the commit.
   * `opts` gives table feeds' snapshot columns and the ledger statements that go with the rows.
   */
  async write(
    batches: readonly WarehouseBatch[],
    beforeCommit?: BeforeCommit,
    opts: WriteOptions = {},
  ): Promise<WriteResult> {
    if (batches.length === 0) return { rows: 0, rejected: 0 };
    const expected = this.#expectedFor(batches);
    const rejected: RejectedRecord[] = [];
    const ctx = { snapshotVersion: opts.snapshotVersion ?? 0, snapshotDate: opts.snapshotDate ?? null };
    const total = batches.reduce((n, b) => n + b.records.length, 0);
    const fields = this.#feed.schema.fields;
    const bulk = useBulk(this.#mode, total)
      ? new BulkRows(preparedChunks(fields, batches, ctx, rejected, BULK_SLICE_ROWS, Infinity))
      : null;
    const next = new Map(batches.map((b) => [b.partition, b.nextOffset]));
    const written = await this.#withConnection('write', async (conn) => {
      const temp = bulk ? await prepareTemp(conn, this.#bulk, this) : null;
      await conn.query('START TRANSACTION');
      checkFence(this.#scope, expected, await readOffsets(conn, this.#scope, [...expected.keys()], true));
      const n = await this.#upsert(conn, bulk && { rows: bulk, temp }, batches, ctx, rejected);
      const offsets = storeOffsetsSql(this.#scope, this.#generation, next);
      await conn.query(offsets.sql, offsets.values);
      for (const st of opts.extra?.(total - rejected.length) ?? []) await conn.query(st.sql, st.values);
      if (beforeCommit) {
        await beforeCommit(rejected).catch((err: unknown) => Promise.reject(new CallbackFailed(err)));
      }
      await conn.query('COMMIT');
      return n;
    });
    for (const [p, offset] of next) this.#expected.set(p, offset);
    this.#logCommit(batches, written, rejected);
    return { rows: written, rejected: rejected.length };
  }

  /**
   * The rows' upsert: multi-row chunks, or the bulk path (bulk.ts), which hands every row back to the multi-row
   * path when it declines (refused, or a row not taken as it is). Returns the rows written.
   */
  async #upsert(
    conn: PoolConnection,
    /** The bulk path's rows and the connection's temporary table (null: refused); null for the multi-row path. */
    bulk: { rows: BulkRows; temp: TempTable | null } | null,
    batches: readonly WarehouseBatch[],
    ctx: RowContext,
    rejected: RejectedRecord[],
  ): Promise<number> {
    const fields = this.#feed.schema.fields;
    if (bulk === null)
      return upsertChunks(conn, this.#template, preparedChunks(fields, batches, ctx, rejected), rejected);
    if (bulk.temp === null)
      return upsertChunks(conn, this.#template, chunked(await bulk.rows.all()), rejected);
    const out = await bulkUpsert(conn, this.#bulk, bulk.temp, this.#direct, bulk.rows);
    return out.written ?? upsertChunks(conn, this.#template, chunked(out.rows), rejected);
  }

  /** The fence of each batch's partition; a partition never loaded is a programming error. */
  #expectedFor(batches: readonly WarehouseBatch[]): Offsets {
    const expected: Offsets = new Map();
    for (const b of batches) {
      const want = this.#expected.get(b.partition);
      if (want === undefined || expected.has(b.partition)) {
        throw new FeedctlError('INTERNAL', `partition ${b.partition} not loaded, or given twice`, {
          subsystem: 'warehouse',
          action: 'write',
          id: this.#id(),
        });
      }
      expected.set(b.partition, want);
    }
    return expected;
  }

  /**
   * Runs `fn` on a prepared pooled connection. On failure: roll back and release, or destroy the connection when
   * it is lost (or the rollback fails); MySQL errors become FeedctlErrors, others pass through.
   */
  async #withConnection<T>(action: string, fn: (conn: PoolConnection) => Promise<T>): Promise<T> {
    let conn: PoolConnection | undefined;
    try {
      conn = await this.#acquire();
      const out = await fn(conn);
      conn.release();
      return out;
    } catch (err) {
      if (conn !== undefined) await abandon(conn, err);
      if (err instanceof CallbackFailed) throw err.error;
      if (err instanceof FeedctlError) throw err;
      throw warehouseError(err, action, this.#id());
    }
  }

  async #acquire(): Promise<PoolConnection> {
    const conn = await this.#pool.getConnection();
    if (prepared.has(conn.connection)) return conn;
    try {
      for (const sql of SESSION_SQL) await conn.query(sql);
    } catch (err) {
      conn.destroy();
      throw err;
    }
    prepared.add(conn.connection);
    return conn;
  }

  #logCommit(batches: readonly WarehouseBatch[], rows: number, rejected: RejectedRecord[]): void {
    if (rejected.length > 0) {
      const where = partitionFields(batches.map((b) => b.partition));
      const classes = [...new Set(rejected.map((r) => r.failure.errorClass))];
      this.#log.warn({ ...where, rejected: rejected.length, classes }, 'rows rejected by the warehouse');
    }
    const committed = batches.map((b) => ({ partition: b.partition, nextOffset: b.nextOffset }));
    const where = committed.length === 1 ? committed[0] : { partitions: committed };
    this.#log.debug({ ...where, rows }, 'warehouse batch committed');
  }

  #id(): string {
    return `${this.#feed.name}/${this.#template.table}`;
  }
}

/** Carries an error of the caller's beforeCommit through the transaction, so it is not taken for MySQL's. */
class CallbackFailed {
  constructor(readonly error: unknown) {}
}

/** Ends a failed transaction: roll back and return the connection, or destroy it when it cannot be trusted. */
async function abandon(conn: PoolConnection, err: unknown): Promise<void> {
  if (!isConnectionLost(err)) {
    try {
      await conn.query('ROLLBACK');
      conn.release();
      return;
    } catch {
      // the rollback failed too: the session is unusable
    }
  }
  conn.destroy();
}
