/**
 * Where each table feed's snapshot versions stand, per destination, from the snapshot ledger (one query): the
 * latest published version, the versions still open or sealed (with their progress: partitions sealed, rows
 * counted so far), and an incomplete version newer than the published one (with the reason).
 */
import { isMissingTable, type Connection, type Pool, type RowDataPacket } from '../clients/mysql.js';
import { SNAPSHOT_LEDGER as L } from '../shape.js';

/** One table feed's versions in one destination. JSON-serialisable. */
export interface SnapshotView {
  feed: string;
  destination: string;
  published: { version: number; rows: number; publishedAt: string | null } | null;
  /** Open or sealed, not yet published; rows are those counted so far (the lake counts a partition at its seal). */
  pending: Array<{
    version: number;
    state: string;
    partitionsSealed: number;
    partitions: number;
    rows: number;
  }>;
  incomplete: { version: number; reason: string } | null;
}

const TS = "DATE_FORMAT(s.published_at, '%Y-%m-%dT%H:%i:%s.%fZ')";

/** Per version: its partitions sealed and rows counted so far (correlated: only open and sealed rows ask). */
const PROGRESS = (what: string) =>
  `(SELECT ${what} FROM ${L.partitions} p WHERE p.feed_name = s.feed_name AND p.destination = s.destination
     AND p.version = s.version)`;

export async function readSnapshots(db: Connection | Pool): Promise<SnapshotView[]> {
  try {
    const [rows] = await db.query<RowDataPacket[]>(
      `SELECT s.feed_name, s.destination, s.version, s.state, s.partitions, s.rows_total, s.reason, ${TS} AS at,
         CASE WHEN s.state IN ('open', 'sealed') THEN ${PROGRESS('COUNT(p.sealed_at)')} END AS sealed,
         CASE WHEN s.state IN ('open', 'sealed') THEN ${PROGRESS('SUM(p.rows_written)')} END AS n
       FROM ${L.snapshots} s
       WHERE s.state IN ('open', 'sealed') OR (s.state IN ('published', 'incomplete') AND s.version >= COALESCE(
         (SELECT MAX(m.version) FROM ${L.snapshots} m WHERE m.feed_name = s.feed_name
            AND m.destination = s.destination AND m.state = 'published'), 0))
       ORDER BY s.feed_name, s.destination, s.version`,
    );
    return gather(rows);
  } catch (err) {
    if (isMissingTable(err)) return []; // ledger not migrated yet
    throw err;
  }
}

function gather(versions: RowDataPacket[]): SnapshotView[] {
  const key = (r: RowDataPacket) => `${String(r.feed_name)}/${String(r.destination)}`;
  const views = new Map<string, SnapshotView>();
  for (const r of versions) {
    const k = key(r);
    let v = views.get(k);
    if (!v) {
      v = {
        feed: String(r.feed_name),
        destination: String(r.destination),
        published: null,
        pending: [],
        incomplete: null,
      };
      views.set(k, v);
    }
    const version = Number(r.version);
    if (r.state === 'published') {
      v.published = {
        version,
        rows: Number(r.rows_total ?? 0),
        publishedAt: (r.at as string | null) ?? null,
      };
      v.pending = v.pending.filter((p) => p.version > version);
      v.incomplete = null;
    } else if (r.state === 'incomplete') {
      v.incomplete = { version, reason: String(r.reason ?? '') };
    } else {
      v.pending.push({
        version,
        state: String(r.state),
        partitionsSealed: Number(r.sealed ?? 0),
        partitions: Number(r.partitions),
        rows: Number(r.n ?? 0),
      });
    }
  }
  return [...views.values()];
}

/** One line per table feed and destination, for `feedctl status`. */
export function renderSnapshot(v: SnapshotView): string {
  const published = v.published
    ? `published v${v.published.version} (${v.published.rows} rows, ${v.published.publishedAt ?? '?'})`
    : 'nothing published yet';
  const pending = v.pending.map(
    (p) =>
      `${p.state} v${p.version}: ${p.partitionsSealed}/${p.partitions} partitions sealed, ${p.rows} rows`,
  );
  const incomplete = v.incomplete ? [`INCOMPLETE v${v.incomplete.version}: ${v.incomplete.reason}`] : [];
  return [`  ${v.feed}/${v.destination}  ${published}`, ...pending, ...incomplete].join('; ');
}
