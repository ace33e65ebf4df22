/** Parsing and checking of the `runtime.*`, `retention.*`, `controller.*`, `warehouse.*` and `http.*` settings (pure). */

export interface RetentionConfig {
  intervalSeconds: number;
  graceSeconds: number;
  batchRows: number;
  pauseMs: number;
}

export function retentionConfig(raw: Record<string, string>, problems: string[]): RetentionConfig {
  const n = (key: keyof RetentionConfig, min: number) => {
    const v = Number(raw[`retention.${key}`]);
    if (!Number.isInteger(v) || v < min) problems.push(`retention.${key} must be an integer ≥ ${min}`);
    return v;
  };
  return {
    intervalSeconds: n('intervalSeconds', 0),
    graceSeconds: n('graceSeconds', 0),
    batchRows: n('batchRows', 1),
    pauseMs: n('pauseMs', 0),
  };
}

export interface ControllerConfig {
  resyncSeconds: number;
  /** 0: no compare between reconciles. */
  refreshSeconds: number;
  breakerMaxShare: number;
  breakerMaxFeeds: number;
  unreadyAfterSeconds: number;
}

export function controllerConfig(raw: Record<string, string>, problems: string[]): ControllerConfig {
  const resyncSeconds = Number(raw['controller.resyncSeconds']);
  const breakerMaxShare = Number(raw['controller.breakerMaxShare']);
  const breakerMaxFeeds = Number(raw['controller.breakerMaxFeeds']);
  const unreadyAfterSeconds = Number(raw['controller.unreadyAfterSeconds']);
  const refreshSeconds = Number(raw['controller.refreshSeconds']);
  if (!Number.isInteger(resyncSeconds) || resyncSeconds < 1)
    problems.push('controller.resyncSeconds must be a positive integer');
  if (!Number.isInteger(refreshSeconds) || refreshSeconds < 0)
    problems.push('controller.refreshSeconds must be an integer ≥ 0 (0: no compare between reconciles)');
  if (!(breakerMaxShare >= 0 && breakerMaxShare <= 1))
    problems.push('controller.breakerMaxShare must be a number from 0 to 1');
  if (!Number.isInteger(breakerMaxFeeds) || breakerMaxFeeds < 0)
    problems.push('controller.breakerMaxFeeds must be an integer ≥ 0');
  if (!Number.isInteger(unreadyAfterSeconds) || unreadyAfterSeconds < 1)
    problems.push('controller.unreadyAfterSeconds must be a positive integer');
  return { resyncSeconds, refreshSeconds, breakerMaxShare, breakerMaxFeeds, unreadyAfterSeconds };
}

/** The runtime's settings. */
export interface RuntimeConfig {
  stallSeconds: number;
  memoryBudgetMb: number;
  bufferBudgetMb: number;
  /** Lane threads; null: as many as the memory budget and the cores allow (src/runtime/memory.ts). */
  threads: number | null;
}

export function runtimeConfig(raw: Record<string, string>, problems: string[]): RuntimeConfig {
  const stallSeconds = Number(raw['runtime.stallSeconds']);
  if (!Number.isInteger(stallSeconds) || stallSeconds < 1)
    problems.push('runtime.stallSeconds must be a positive integer');
  const memoryBudgetMb = Number(raw['runtime.memoryBudgetMb']);
  if (!Number.isInteger(memoryBudgetMb) || memoryBudgetMb < 64)
    problems.push('runtime.memoryBudgetMb must be an integer of at least 64');
  const buffer = raw['runtime.bufferBudgetMb'];
  const bufferBudgetMb = buffer === 'auto' ? Math.floor(memoryBudgetMb / 4) : Number(buffer);
  if (!Number.isInteger(bufferBudgetMb) || bufferBudgetMb < 1)
    problems.push('runtime.bufferBudgetMb must be a positive integer or auto');
  const t = raw['runtime.threads'];
  const threads = t === 'auto' ? null : Number(t);
  if (threads !== null && (!Number.isInteger(threads) || threads < 0 || threads > 64))
    problems.push('runtime.threads must be auto or an integer from 0 to 64');
  return { stallSeconds, memoryBudgetMb, bufferBudgetMb, threads };
}

/** Where `run` and `reconcile --watch` serve /metrics, /healthz and /readyz. */
export interface HttpConfig {
  host: string;
  /** 0: a free port, chosen when the server starts. */
  port: number;
  /** The bearer token of the status page and /api/ (null: open). A secret: never logged or printed. */
  token: string | null;
}

export function httpConfig(raw: Record<string, string>, problems: string[]): HttpConfig {
  const host = (raw['http.host'] ?? '').trim();
  const port = Number(raw['http.port']);
  if (!/^[^\s/]+$/.test(host)) problems.push('http.host must be a host name or IP address, e.g. 127.0.0.1');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push('http.port must be an integer from 0 to 65535 (0 picks a free port)');
  const token = (raw['http.token'] ?? '').trim();
  if (token && !/^[\x21-\x7e]{16,}$/.test(token))
    problems.push('http.token must be at least 16 printable characters without spaces (or empty for none)');
  return { host, port, token: token || null };
}

/**
 * How the warehouse sink loads large writes: `auto` uses `LOAD DATA LOCAL INFILE` for writes of enough rows and
 * the multi-row upsert below that; `on` uses it for every write; `off` never. A server that refuses it (MySQL 8's
 * default `local_infile=OFF`, many managed servers) turns `auto` and `on` into the multi-row path for the process.
 */
export type LocalInfileMode = 'auto' | 'on' | 'off';

export interface WarehouseConfig {
  localInfile: LocalInfileMode;
}

export function warehouseConfig(raw: Record<string, string>, problems: string[]): WarehouseConfig {
  const v = (raw['warehouse.localInfile'] ?? '').trim();
  if (v === 'auto' || v === 'on' || v === 'off') return { localInfile: v };
  problems.push(`warehouse.localInfile must be auto, on or off, got ${JSON.stringify(v)}`);
  return { localInfile: 'auto' };
}
