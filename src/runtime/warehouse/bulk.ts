/**
 * The warehouse sink's bulk path (SQL and TSV in bulk-sql.ts): a write of many rows is loaded with `LOAD DATA
 * LOCAL INFILE` into the connection's temporary table and upserted from there by one guarded `INSERT … SELECT …
 * ON DUPLICATE KEY UPDATE`, inside the sink's transaction (fence, rows, offsets, one COMMIT, as before).
 *
 * Which path a write takes ({@link useBulk}): `warehouse.localInfile` `off` → multi-row; `on` → bulk; `auto` →
 * bulk from {@link BULK_MIN_ROWS} rows, multi-row below (where one statement costs less than three). Once a server
 * refuses `LOAD DATA LOCAL INFILE` (MySQL 8 ships `local_infile=OFF`; many managed servers forbid it), every write
 * of the process takes the multi-row path: the refusal is logged once and shown by {@link loadPathStatus}.
 *
 * Rejected rows: the multi-row path finds them. When the load reports a warning or skips a row (with LOCAL,
 * MySQL turns a value error into a warning), or the upsert fails for a data reason (a CHECK constraint, a foreign
 * key), the write falls back to the multi-row path in the same transaction; the temporary table is not read again.
 *
 * Temporary tables belong to the connection and outlive a write on a pooled one: each is created by one sink
 * instance (one generation of one feed) and dropped and re-created when another instance uses that connection, so
 * a table altered under a new generation gets a temporary table of its new shape. It is created and emptied
 * before `START TRANSACTION` (statements on temporary tables do not commit implicitly, but DDL is kept out of the
 * transaction anyway).
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

/** Which path warehouse writes take in this process, for status and logs. */
export function loadPathStatus(): string {
  const mode = state.mode ?? 'auto';
  if (state.refused !== null) return `multi-row upserts (LOAD DATA LOCAL INFILE refused: ${state.refused})`;
  if (mode === 'off') return 'multi-row upserts (warehouse.localInfile=off)';
  if (mode === 'on') return 'LOAD DATA LOCAL INFILE';
  return `LOAD DATA LOCAL INFILE for writes of ≥ ${BULK_MIN_ROWS} rows, multi-row upserts below`;
}

/** 1 while this process may use LOAD DATA LOCAL INFILE (mode not off, not refused), else 0. */
export function bulkEnabled(): number {
  return state.mode !== 'off' && state.refused === null ? 1 : 0;
}

function refused(err: unknown): void {
  if (state.refused !== null) return;
  state.refused = causeText(err);
  log.warn(
    { err: state.refused, loadPath: loadPathStatus() },
    'LOAD DATA LOCAL INFILE refused by the server: warehouse writes use multi-row upserts',
  );
}

/** Tests only: forget a refusal. */
export function resetLoadPath(): void {
  state.refused = null;
}

/** Which sink instance created each connection's temporary tables (by table name). */
const owners = new WeakMap<object, Map<string, object>>();

/** Creates (or re-creates, for another sink instance) the connection's temporary table, or empties it. */
export async function prepareTemp(conn: PoolConnection, t: BulkTemplate, owner: object): Promise<void> {
  let mine = owners.get(conn.connection);
  if (mine === undefined) owners.set(conn.connection, (mine = new Map()));
  if (mine.get(t.temp) === owner) {
    await conn.query(t.truncate);
    return;
  }
  mine.delete(t.temp);
  await conn.query(t.drop);
  await conn.query(t.create);
  mine.set(t.temp, owner);
}

/**
 * Loads and upserts `rows` in the open transaction. Returns the rows written, or null when the write must take
 * the multi-row path: the server refused the load, or a row was not taken as it is.
 */
export async function bulkUpsert(
  conn: PoolConnection,
  t: BulkTemplate,
  rows: readonly PreparedRow[],
): Promise<number | null> {
  if (rows.length === 0) return 0;
  const data = tsv(rows.map((r) => r.values));
  let loaded: ResultSetHeader;
  try {
    [loaded] = await conn.query<ResultSetHeader>({
      sql: t.load,
      infileStreamFactory: () => Readable.from([data]),
    });
  } catch (err) {
    if (!isLocalInfileRefused(err)) throw err;
    refused(err);
    return null;
  }
  if (loaded.affectedRows !== rows.length || loaded.warningStatus !== 0) return null;
  try {
    await conn.query(t.upsert);
  } catch (err) {
    if (dataErrorClass(err) === null) throw err;
    return null;
  }
  return rows.length;
}
