/**
 * Worker heartbeats in feedctl_workers: who runs, where, and each consumer's status. `feedctl status` and
 * `reconcile --dry-run` read them; a worker whose heartbeat is older than {@link STALE_AFTER_SECONDS} is gone.
 */
import type { Pool } from '../../clients/mysql.js';
import type { ConsumerStatus } from '../consumer/progress.js';

export const HEARTBEAT_SECONDS = 5;
export const STALE_AFTER_SECONDS = 3 * HEARTBEAT_SECONDS;

/** What a worker reports. JSON-serialisable. */
export interface WorkerReport {
  consumers: ConsumerStatus[];
  /** Consumers this worker will not run, with why (e.g. table feeds before their runtime exists). */
  skipped: Array<{ key: string; reason: string }>;
  /** How this process's warehouse sinks write (src/runtime/warehouse/bulk.ts), null when it has none. */
  warehouseLoadPath: string | null;
}

export interface WorkerIdentity {
  instanceId: string;
  host: string;
  pid: number;
  destinations: string;
}

export async function beat(
  pool: Pool,
  w: WorkerIdentity,
  report: WorkerReport,
  stopped = false,
): Promise<void> {
  await pool.query(
    `INSERT INTO feedctl_workers (instance_id, host, pid, destinations, status, stopped_at)
     VALUES (?, ?, ?, ?, ?, IF(?, NOW(3), NULL))
     ON DUPLICATE KEY UPDATE heartbeat_at = NOW(3), status = VALUES(status), stopped_at = VALUES(stopped_at)`,
    [w.instanceId, w.host, w.pid, w.destinations, JSON.stringify(report), stopped],
  );
}
