/** The consumers a worker must run: the rows `feedctl reconcile` wrote to feedctl_consumers (one query). */
import type { Pool, RowDataPacket } from '../../clients/mysql.js';
import type { FeedSpec } from '../../feeds/types.js';
import type { ConsumerTarget } from '../consumer/feed-consumer.js';
import type { Destination } from '../../feeds/types.js';

/** One consumer to run. Invariant: `key` is `<feed>/<destination>`, unique. */
export interface DesiredConsumer {
  key: string;
  destination: Destination;
  target: ConsumerTarget;
}

const SQL = `SELECT feed_name, generation, spec_hash, spec, lake_enabled, warehouse_enabled
  FROM feedctl_consumers ORDER BY feed_name`;

/** MySQL returns JSON columns parsed; MariaDB (JSON = LONGTEXT) returns text. */
export function parseSpec(value: unknown): FeedSpec {
  const spec = (typeof value === 'string' ? JSON.parse(value) : value) as FeedSpec;
  // Rows written before fields had a `property` (the feed's spec hash, so its row, did not change): the column is
  // the property.
  const fields = spec.schema.fields.map((f) => (f.property === undefined ? { ...f, property: f.name } : f));
  return { ...spec, schema: { ...spec.schema, fields } };
}

export async function readTargets(
  pool: Pool,
  destinations: readonly Destination[],
): Promise<DesiredConsumer[]> {
  const [rows] = await pool.query<RowDataPacket[]>(SQL);
  const out: DesiredConsumer[] = [];
  for (const r of rows) {
    const target = {
      feed: parseSpec(r.spec),
      generation: Number(r.generation),
      specHash: String(r.spec_hash),
    };
    const enabled: Record<Destination, boolean> = {
      lake: Boolean(r.lake_enabled),
      warehouse: Boolean(r.warehouse_enabled),
    };
    for (const d of destinations) {
      if (enabled[d]) out.push({ key: `${target.feed.name}/${d}`, destination: d, target });
    }
  }
  return out;
}
