/** Reads the ownership inventory (one query) into an immutable lookup. */
import type { Connection, RowDataPacket } from '../../clients/mysql.js';

export type OwnedKind = 'topic' | 'table' | 'role' | 'view';

/** One owned resource. `feed` is null for shared resources (roles). */
export interface InventoryEntry {
  kind: OwnedKind;
  id: string;
  feed: string | null;
  adopted: boolean;
}

/** Ownership lookup. Invariant: at most one entry per (kind, id). */
export interface Inventory {
  readonly entries: readonly InventoryEntry[];
  owned(kind: OwnedKind, id: string): InventoryEntry | undefined;
  ofKind(kind: OwnedKind): InventoryEntry[];
}

/** Builds an Inventory from entries (also used by unit tests of pure diffs). */
export function inventoryOf(entries: InventoryEntry[]): Inventory {
  const byKey = new Map(entries.map((e) => [`${e.kind}\u0000${e.id}`, e]));
  return {
    entries,
    owned: (kind, id) => byKey.get(`${kind}\u0000${id}`),
    ofKind: (kind) => entries.filter((e) => e.kind === kind),
  };
}

export async function observeInventory(db: Connection): Promise<Inventory> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT resource_kind, resource_id, feed_name, adopted FROM feedctl_inventory ORDER BY resource_kind, resource_id',
  );
  return inventoryOf(
    rows.map((r) => ({
      kind: r.resource_kind as OwnedKind,
      id: String(r.resource_id),
      feed: r.feed_name === null ? null : String(r.feed_name),
      adopted: Boolean(r.adopted),
    })),
  );
}
