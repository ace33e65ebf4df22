/**
 * Which path the warehouse writes of this process take (process-wide state): `warehouse.localInfile` `off` →
 * multi-row upserts; `on` → the bulk path (bulk.ts); `auto` → bulk from {@link BULK_MIN_ROWS} rows. Once a server
 * refuses `LOAD DATA LOCAL INFILE`, every write of the process takes the multi-row path: the refusal is logged
 * once and shown by {@link loadPathStatus} (status, `/metrics`).
 */
import type { LocalInfileMode } from '../../config/config.js';
import { causeText } from '../../errors.js';
import { logger } from '../../log.js';

/**
 * Fewest rows of a write that take the bulk path under `auto`. Measured with bench/warehouse.bench.mjs (it prints
 * the crossover it finds; on the local stack LOAD DATA was 0.98× of the multi-row upserts at 250 records a write
 * and 1.27× at 500): below it the bulk path's extra statements cost more than the upserts they replace.
 */
export const BULK_MIN_ROWS = 500;

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

/** The server refused LOAD DATA LOCAL INFILE (or temporary tables): every later write takes the multi-row path. */
export function refused(err: unknown): void {
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
