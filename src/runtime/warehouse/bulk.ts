/**
 * The warehouse sink's bulk path (SQL and TSV in bulk-sql.ts): a write of many rows is loaded with `LOAD DATA
 * LOCAL INFILE` into the connection's temporary table and upserted from there by the guarded `INSERT … SELECT …
 * ON DUPLICATE KEY UPDATE`, in parts of {@link BULK_PART_ROWS} rows (the next part is converted while the server
 * runs the current one), inside the sink's transaction (fence, rows, offsets, one COMMIT, as before).
 *
 * Which path a write takes ({@link useBulk}): `warehouse.localInfile` `off` → multi-row; `on` → bulk; `auto` →
 * bulk from {@link BULK_MIN_ROWS} rows, multi-row below (where one statement costs less than three). Once a server
 * refuses `LOAD DATA LOCAL INFILE` (MySQL 8 ships `local_infile=OFF`; many managed servers forbid it), every write
 * of the process takes the multi-row path: the refusal is logged once and shown by {@link loadPathStatus}. A user
 * without the CREATE TEMPORARY TABLES privilege counts as a refusal too.
 *
 * Rejected rows: the multi-row path finds them. When the load reports a warning or skips a row (with LOCAL,
 * MySQL turns a value error into a warning), or the upsert fails for a data reason (a CHECK constraint, a foreign
 * key), the bulk path's work is rolled back to a savepoint and the write takes the multi-row path in the same
 * transaction.
 *
 * Temporary tables belong to the connection and outlive a write on a pooled one: each is created by one sink
 * instance (one generation of one feed) and dropped and re-created when another instance uses that connection, so
 * a table altered under a new generation gets a temporary table of its new shape. It is created and truncated
 * before `START TRANSACTION` (CREATE and DROP TEMPORARY TABLE do not commit implicitly, TRUNCATE may); inside the
 * transaction a MEMORY table is emptied with DELETE.
 */
import { Readable } from 'node:stream';
import type { PoolConnection, ResultSetHeader } from '../../clients/mysql.js';
import type { LocalInfileMode } from '../../config/config.js';
import { causeText } from '../../errors.js';
import { logger } from '../../log.js';
import { tsv, type BulkTemplate } from './bulk-sql.js';
import { dataErrorClass, isLocalInfileRefused } from './failures.js';
import type { PreparedRow } from './rows.js';

/**
 * Fewest rows of a write that take the bulk path under `auto`. Measured with bench/warehouse.bench.mjs (it prints
 * the crossover it finds): below it three statements cost more than the multi-row upserts they replace.
 */
export const BULK_MIN_ROWS = 2000;

/** Process-wide: the mode sinks were built with, and the server's refusal once met. */
const state: { mode: LocalInfileMode | null; refused: string | null; announced: boolean } = {
  mode: null,
  refused: null,
  announced: false,
};
const log = logger('runtime.warehouse');

/** Records the configured mode (every sink of a process has the same) and logs the path once. */
export function registerMode(mode: LocalInfileMode): void {
  state.mode = mode;
  if (state.announced) return;
  state.announced = true;
  log.info({ localInfile: mode, loadPath: loadPathStatus() }, 'warehouse load path');
}

/** True when a write of `rows` rows takes the bulk path. */
export function useBulk(mode: LocalInfileMode, rows: number): boolean {
  if (mode === 'off' || state.refused !== null) return false;
  return mode === 'on' || rows >= BULK_MIN_ROWS;
}

/** Which path warehouse writes take in this process, for status and logs; null before any sink exists. */
export function loadPathStatus(): string | null {
  const mode = state.mode;
  if (mode === null) return null;
  if (state.refused !== null) return `multi-row upserts (LOAD DATA LOCAL INFILE refused: ${state.refused})`;
  if (mode === 'off') return 'multi-row upserts (warehouse.localInfile=off)';
  if (mode === 'on') return 'LOAD DATA LOCAL INFILE';
  return `LOAD DATA LOCAL INFILE for writes of ≥ ${BULK_MIN_ROWS} rows, multi-row upserts below`;
}

/** 1 while this process's warehouse sinks may use LOAD DATA LOCAL INFILE (not off, not refused), else 0. */
export function bulkEnabled(): number {
  return state.mode !== null && state.mode !== 'off' && state.refused === null ? 1 : 0;
}

function refused(err: unknown): void {
  if (state.refused !== null) return;
  state.refused = causeText(err);
  log.warn(
    { err: state.refused, loadPath: loadPathStatus() },
    'LOAD DATA LOCAL INFILE refused by the server: warehouse writes use multi-row upserts',
  );
}

function errnoOf(err: unknown): number {
  return Number((err as { errno?: unknown } | null)?.errno);
}

/** Tests only: forget a refusal. */
export function resetLoadPath(): void {
  state.refused = null;
}

/** Which sink instance created each connection's temporary tables (by table name), and in which engine. */
const owners = new WeakMap<object, Map<string, { owner: object; capacity: number }>>();

/** errnos of a MEMORY table that cannot be: a BLOB/TEXT column (1163), full (1114). */
const NOT_IN_MEMORY = new Set([1114, 1163]);

/** errnos of a user without the CREATE TEMPORARY TABLES privilege (1044, 1142, 1227): no bulk path either. */
const TEMP_DENIED = new Set([1044, 1142, 1227]);

/**
 * Creates (or re-creates, for another sink instance) the connection's temporary table, or empties it. Returns
 * its capacity: the rows it may hold before it is emptied (MEMORY), or Infinity (InnoDB); null when the user may
 * not create temporary tables (taken as a refusal: multi-row upserts from then on). MEMORY is tried first when
 * the template allows it; a table it cannot hold (an adopted table's TEXT column) is made InnoDB.
 */
export async function prepareTemp(
  conn: PoolConnection,
  t: BulkTemplate,
  owner: object,
): Promise<number | null> {
  let mine = owners.get(conn.connection);
  if (mine === undefined) owners.set(conn.connection, (mine = new Map()));
  const known = mine.get(t.temp);
  if (known?.owner === owner) {
    await conn.query(t.truncate);
    return known.capacity;
  }
  mine.delete(t.temp);
  await conn.query(t.drop);
  try {
    const capacity = await createTemp(conn, t);
    mine.set(t.temp, { owner, capacity });
    return capacity;
  } catch (err) {
    if (!TEMP_DENIED.has(errnoOf(err))) throw err;
    refused(err);
    return null;
  }
}

async function createTemp(conn: PoolConnection, t: BulkTemplate): Promise<number> {
  if (t.create.memory !== null) {
    try {
      await conn.query(t.create.memory);
      return t.memoryRows;
    } catch (err) {
      if (!NOT_IN_MEMORY.has(errnoOf(err))) throw err;
    }
  }
  await conn.query(t.create.innodb);
  return Infinity;
}

/** Rows of one `LOAD DATA` and its upsert: small enough to convert the next part while the server runs this one. */
export const BULK_PART_ROWS = 2500;

/** The rows written, or null and every row of the write when it must take the multi-row path instead. */
export type BulkOutcome = { written: number } | { written: null; rows: PreparedRow[] };

const SAVEPOINT = 'feedctl_bulk';
const EMPTY = Buffer.alloc(0);

/**
 * Loads and upserts the parts (lazily converted, ≤ {@link BULK_PART_ROWS} rows each) in the open transaction,
 * one `LOAD DATA` and one `INSERT … SELECT` each; the next part is converted and rendered while the server runs
 * the current one. When the server refuses the load, or a row is not taken as it is, everything the bulk path
 * did is rolled back to a savepoint and the write's rows are returned for the multi-row path.
 */
export async function bulkUpsert(
  conn: PoolConnection,
  t: BulkTemplate,
  capacity: number,
  parts: Iterator<PreparedRow[]>,
): Promise<BulkOutcome> {
  let current = parts.next();
  if (current.done) return { written: 0 };
  await conn.query(`SAVEPOINT ${SAVEPOINT}`);
  const seen: PreparedRow[][] = [];
  let first = 1;
  let held = 0; // rows in the temporary table
  let data = tsv(current.value, first);
  while (!current.done) {
    const part = current.value;
    const clear = held > 0 && held + part.length > capacity;
    held = (clear ? 0 : held) + part.length;
    // the promise is settled here so that a failure is never an unhandled rejection
    const sent = loadPart(conn, t, clear, data, first, part.length).then(
      (ok) => ({ ok }),
      (err: unknown) => ({ err }),
    );
    seen.push(part);
    first += part.length;
    const following = parts.next();
    data = following.done ? EMPTY : tsv(following.value, first);
    const r = await sent;
    if ('err' in r) throw r.err;
    if (!r.ok) {
      await conn.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      for (let p = following; !p.done; p = parts.next()) seen.push(p.value);
      return { written: null, rows: seen.flat() };
    }
    current = following;
  }
  return { written: first - 1 };
}

/** One part: load it, check the load took every row unchanged, upsert it. False: take the multi-row path. */
async function loadPart(
  conn: PoolConnection,
  t: BulkTemplate,
  clear: boolean,
  data: Buffer,
  first: number,
  count: number,
): Promise<boolean> {
  let loaded: ResultSetHeader;
  if (clear) await conn.query(t.clear);
  try {
    [loaded] = await conn.query<ResultSetHeader>({
      sql: t.load,
      infileStreamFactory: () => Readable.from(slices(data)),
    });
  } catch (err) {
    if (NOT_IN_MEMORY.has(errnoOf(err))) return false; // full after all: the multi-row path takes the rows
    if (!isLocalInfileRefused(err)) throw err;
    refused(err);
    return false;
  }
  if (loaded.affectedRows !== count || loaded.warningStatus !== 0) return false;
  try {
    await conn.query(t.upsert, [first, first + count - 1]);
  } catch (err) {
    if (dataErrorClass(err) === null) throw err;
    return false;
  }
  return true;
}

/** The data in slices of ≤ 1 MiB: each becomes one protocol packet (at most 16 MiB). */
function* slices(data: Buffer): Generator<Buffer> {
  for (let i = 0; i < data.length; i += 1 << 20) yield data.subarray(i, i + (1 << 20));
}
