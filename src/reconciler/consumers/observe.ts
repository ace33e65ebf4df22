/** Observes the consumer rows workers converge to: one query. Read-only. */
import type { Connection, RowDataPacket } from '../../clients/mysql.js';
import type { Destination } from '../../feeds/types.js';

export interface ObservedConsumer {
  feed: string;
  generation: number;
  specHash: string;
  destinations: Destination[];
}

/** `exists`: false when the control plane is not migrated yet. */
export async function observeConsumers(
  db: Connection,
  exists: boolean,
): Promise<Map<string, ObservedConsumer>> {
  const out = new Map<string, ObservedConsumer>();
  if (!exists) return out;
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT feed_name, generation, spec_hash, lake_enabled, warehouse_enabled FROM feedctl_consumers',
  );
  for (const r of rows) {
    const destinations: Destination[] = [];
    if (r.lake_enabled) destinations.push('lake');
    if (r.warehouse_enabled) destinations.push('warehouse');
    out.set(String(r.feed_name), {
      feed: String(r.feed_name),
      generation: Number(r.generation),
      specHash: String(r.spec_hash),
      destinations,
    });
  }
  return out;
}
