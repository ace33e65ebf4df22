/**
 * The warehouse sink's bulk path (SQL and TSV in bulk-sql.ts): a write of many rows is loaded with `LOAD DATA
 * LOCAL INFILE` in parts of {@link BULK_PART_ROWS} rows (the next part is converted while the server runs the
 * current one), inside the sink's transaction (fence, rows, offsets, one COMMIT, as before). A part goes straight
 * into the feed's table (`IGNORE`) and stays there when every row went in unchanged: all its keys were new, so
 * the guarded upsert would have inserted each row the same. Otherwise (a key already there: a replay, an update)
 * that part is rolled back to its savepoint and loaded into the connection's temporary table, then upserted from
 * there by the guarded `INSERT … SELECT … ON DUPLICATE KEY UPDATE` (and {@link DirectLoads} sends the sink's next
 * parts that way for a while).
 *
 * Which path a write takes is load-path.ts's: `warehouse.localInfile`, the write's size, and whether the server
 * refused `LOAD DATA LOCAL INFILE` (MySQL 8 ships `local_infile=OFF`; many managed servers forbid it). A user
 * without the CREATE TEMPORARY TABLES privilege counts as a refusal too.
 *
 * Rejected rows: the multi-row path finds them. When the load reports a warning or skips a row (with LOCAL,
 * MySQL turns a value error into a warning), or the upsert fails for a data reason (a CHECK constraint, a foreign
 * key), the bulk path's work is rolled back to a savepoint and the write takes the multi-row path in the same
 * transaction.
 *
 * Temporary tables (bulk-temp.ts) belong to the connection and outlive a write on a pooled one. One is created
 * and truncated before `START TRANSACTION` (CREATE and DROP TEMPORARY TABLE do not commit implicitly, TRUNCATE may); inside the
 * transaction a MEMORY table is emptied with DELETE.
 */
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { PoolConnection, ResultSetHeader } from '../../clients/mysql.js';
import { tsv, type BulkTemplate } from './bulk-sql.js';
import { dataErrorClass, hasErrno, isLocalInfileRefused } from './failures.js';
import { NOT_IN_MEMORY, type TempTable } from './bulk-temp.js';
import { refused } from './load-path.js';
import type { PreparedRow } from './rows.js';

/** Rows of one `LOAD DATA` and its upsert: small enough to convert the next part while the server runs this one. */
export const BULK_PART_ROWS = 2500;

/** Parts that take the temporary table after a direct load met a key already in the table. */
export const DIRECT_BACKOFF_PARTS = 16;

/**
 * Whether a sink's next part is loaded straight into its table (one statement; the common case of a stream whose
 * keys are new) or through the temporary table and the guarded upsert. After a direct load met a key already
 * there (rolled back), the next {@link DIRECT_BACKOFF_PARTS} parts take the temporary table, so a feed that
 * updates its rows does not pay for a load rolled back every time.
 */
export class DirectLoads {
  #skip = 0;

  /** Whether the next part tries the direct load. */
  take(): boolean {
    if (this.#skip === 0) return true;
    this.#skip -= 1;
    return false;
  }

  missed(): void {
    this.#skip = DIRECT_BACKOFF_PARTS;
  }
}

/** The rows written, or null and every row of the write when it must take the multi-row path instead. */
export type BulkOutcome = { written: number } | { written: null; rows: PreparedRow[] };

/** Rows converted between two turns of the event loop, so the connection's replies are never held up long. */
export const BULK_SLICE_ROWS = 250;

/** The temporary table during one write, and the rows it holds. */
interface TempUse {
  table: TempTable;
  held: number;
}

/** One part: its rows, their TSV, and the sequence number of its first row. */
interface Part {
  rows: PreparedRow[];
  data: Buffer;
  first: number;
}

const SAVEPOINT = 'feedctl_bulk';
const PART_SAVEPOINT = 'feedctl_part';
const PACKET_BYTES = 64 * 1024;

/**
 * Loads the write's rows in parts of ≤ {@link BULK_PART_ROWS} rows in the open transaction: each part straight
 * into the feed's table when {@link DirectLoads} allows and every row is new, else into the temporary table and
 * one `INSERT … SELECT`. `slices` are the rows converted lazily, ≤ {@link BULK_SLICE_ROWS} at a time: the next
 * part is converted slice by slice while the server runs the current one. When the server refuses the load, or a
 * row is not taken as it is, everything the bulk path did is rolled back to a savepoint and the write's rows are
 * returned for the multi-row path.
 */
export async function bulkUpsert(
  conn: PoolConnection,
  t: BulkTemplate,
  temp: TempTable,
  direct: DirectLoads,
  rows: BulkRows,
): Promise<BulkOutcome> {
  const { slices } = rows;
  let part = await rows.first;
  if (part === null) return { written: 0 };
  await conn.query(`SAVEPOINT ${SAVEPOINT}`);
  const seen: PreparedRow[][] = [];
  const via = { direct, temp: { table: temp, held: 0 } };
  let written = 0;
  while (part !== null) {
    // settled here so that a failure is never an unhandled rejection
    const sent = loadPart(conn, t, via, part).then(
      (ok) => ({ ok }),
      (err: unknown) => ({ err }),
    );
    seen.push(part.rows);
    written += part.rows.length;
    const following = await nextPart(slices, part.first + part.rows.length);
    const r = await sent;
    if ('err' in r) throw r.err;
    if (!r.ok) {
      await conn.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      if (following !== null) seen.push(following.rows);
      for (let s = slices.next(); !s.done; s = slices.next()) seen.push(s.value);
      return { written: null, rows: seen.flat() };
    }
    part = following;
  }
  return { written };
}

/**
 * A write's rows for the bulk path, `slices` converted part by part; the first part from the moment the write
 * begins, so that it converts while the connection opens the transaction and checks the fence.
 */
export class BulkRows {
  readonly first: Promise<Part | null>;

  constructor(readonly slices: Iterator<PreparedRow[]>) {
    this.first = nextPart(slices, 1);
    this.first.catch(() => undefined); // awaited by the write; one that fails before must not leave it unhandled
  }

  /** Every row, for the multi-row path (when the bulk path cannot be taken after all). */
  async all(): Promise<PreparedRow[]> {
    const out = [...((await this.first)?.rows ?? [])];
    for (let s = this.slices.next(); !s.done; s = this.slices.next()) out.push(...s.value);
    return out;
  }
}

/** The next part from `slices`, its first row numbered `first`; null when none is left. */
async function nextPart(slices: Iterator<PreparedRow[]>, first: number): Promise<Part | null> {
  const rows: PreparedRow[] = [];
  const data: Buffer[] = [];
  while (rows.length < BULK_PART_ROWS) {
    await setImmediate(); // the connection's replies and the server's request for the file get through
    const slice = slices.next();
    if (slice.done) break;
    data.push(tsv(slice.value, first + rows.length));
    for (const row of slice.value) rows.push(row);
  }
  return rows.length === 0 ? null : { rows, data: Buffer.concat(data), first };
}

/** One part, straight into the table or through the temporary table. False: take the multi-row path. */
async function loadPart(
  conn: PoolConnection,
  t: BulkTemplate,
  via: { direct: DirectLoads; temp: TempUse },
  part: Part,
): Promise<boolean> {
  const { data, first } = part;
  const count = part.rows.length;
  if (via.direct.take()) {
    const outcome = await loadDirect(conn, t, data, count);
    if (outcome !== 'declined') return outcome;
    via.direct.missed();
  }
  return loadThroughTemp(conn, t, via.temp, data, first, count);
}

/**
 * The part straight into the feed's table: true when every row went in unchanged; 'declined' (rolled back) when
 * one did not (a key already there, a value MySQL changed), for the temporary table to decide; false when the
 * server refuses the load.
 */
async function loadDirect(
  conn: PoolConnection,
  t: BulkTemplate,
  data: Buffer,
  count: number,
): Promise<boolean | 'declined'> {
  // sent together: the load waits for no reply of ours
  const [, loaded] = await Promise.all([
    conn.query(`SAVEPOINT ${PART_SAVEPOINT}`),
    load(conn, t.direct, data),
  ]);
  if (loaded === null) return false;
  if (loaded.affectedRows === count && loaded.warningStatus === 0) return true;
  await conn.query(`ROLLBACK TO SAVEPOINT ${PART_SAVEPOINT}`);
  return 'declined';
}

/** One part through the temporary table: load it, check the load took every row unchanged, upsert it. */
async function loadThroughTemp(
  conn: PoolConnection,
  t: BulkTemplate,
  temp: TempUse,
  data: Buffer,
  first: number,
  count: number,
): Promise<boolean> {
  if (temp.held > 0 && temp.held + count > temp.table.capacity) {
    await conn.query(t.clear);
    temp.held = 0;
  }
  temp.held += count;
  temp.table.dirty = true;
  const loaded = await load(conn, t.load, data);
  if (loaded === null || loaded.affectedRows !== count || loaded.warningStatus !== 0) return false;
  try {
    await conn.query(t.upsert, [first, first + count - 1]);
  } catch (err) {
    if (dataErrorClass(err) === null) throw err;
    return false;
  }
  return true;
}

/** Runs a `LOAD DATA LOCAL INFILE` of `data`; null when the server refuses it or a MEMORY table is full. */
async function load(conn: PoolConnection, sql: string, data: Buffer): Promise<ResultSetHeader | null> {
  try {
    const [loaded] = await conn.query<ResultSetHeader>({
      sql,
      infileStreamFactory: () => Readable.from(slices(data)),
    });
    return loaded;
  } catch (err) {
    if (hasErrno(err, NOT_IN_MEMORY)) return null; // full after all: the multi-row path takes the rows
    if (!isLocalInfileRefused(err)) throw err;
    refused(err);
    return null;
  }
}

/**
 * The data in slices of 64 KiB, each one protocol packet: the server parses a packet only once it has it whole, so
 * it parses one while the next arrives (one packet per part, up to 1 MiB, loaded the sink's 2,500-row parts 5–10 %
 * slower in `bench/warehouse.bench.mjs`).
 */
function* slices(data: Buffer): Generator<Buffer> {
  for (let i = 0; i < data.length; i += PACKET_BYTES) yield data.subarray(i, i + PACKET_BYTES);
}
