/**
 * Watch controllers seen in the last hour (one query), with their last run: trigger, outcome, changes, and why the
 * blast-radius breaker tripped or the run failed.
 */
import {
  isMissingTable,
  jsonColumn,
  type Connection,
  type Pool,
  type RowDataPacket,
} from '../clients/mysql.js';

export interface ControllerView {
  instanceId: string;
  host: string;
  updatedAt: string;
  lastRun: {
    trigger: string;
    at: string;
    outcome: string;
    changes: number;
    reasons: string[];
    retryInMs: number | null;
    /** Broken manifests (absent from rows written before last good state existed). */
    invalid?: InvalidManifest[];
  };
}

/** A broken manifest in a controller's last run (controller/last-good.ts InvalidFile). */
export interface InvalidManifest {
  file: string;
  error: string;
  keeps: string[];
  how: 'last valid spec' | 'held' | 'unknown';
}

export async function readControllers(db: Connection | Pool): Promise<ControllerView[]> {
  try {
    const [rows] = await db.query<RowDataPacket[]>(
      `SELECT instance_id, host, DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS at, last_run
       FROM feedctl_controllers WHERE updated_at > NOW(3) - INTERVAL 1 HOUR ORDER BY updated_at DESC LIMIT 10`,
    );
    return rows.map((r) => ({
      instanceId: String(r.instance_id),
      host: String(r.host),
      updatedAt: String(r.at),
      lastRun: jsonColumn<ControllerView['lastRun']>(r.last_run),
    }));
  } catch (err) {
    if (isMissingTable(err)) return []; // not migrated yet
    throw err;
  }
}

/** One line per controller, then one per broken manifest, for `feedctl status`. */
export function renderController(c: ControllerView): string {
  const invalid = (c.lastRun.invalid ?? []).map((i) => `\n    INVALID MANIFEST ${invalidLine(i)}`);
  return `${runLine(c)}${invalid.join('')}`;
}

/** `file (line:col error): what happens to its feeds`. */
export function invalidLine(i: InvalidManifest): string {
  const keeps =
    i.how === 'last valid spec'
      ? `${i.keeps.join(', ')} keeps its last valid spec`
      : i.how === 'held'
        ? `${i.keeps.join(', ')} left as it is`
        : 'its feed is unknown, so no feed is disabled until it is fixed';
  return `${i.file} (${i.error}): ${keeps}`;
}

function runLine(c: ControllerView): string {
  const r = c.lastRun;
  const head = `  ${c.instanceId}  last reconcile (${r.trigger}) at ${r.at}: `;
  if (r.outcome === 'breaker') return `${head}BREAKER TRIPPED, nothing applied: ${r.reasons.join('; ')}`;
  if (r.outcome === 'failed') {
    const retry =
      r.retryInMs === null ? 'waits for the next change' : `retry in ${Math.round(r.retryInMs / 1000)} s`;
    return `${head}FAILED (${retry}): ${r.reasons.join('; ')}`;
  }
  return `${head}${r.outcome}${r.outcome === 'applied' ? ` (${r.changes} changes)` : ''}`;
}
