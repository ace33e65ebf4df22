/** Records and forgets ownership; called by appliers right after they create, adopt or delete a resource. */
import type { Connection } from '../../clients/mysql.js';
import type { OwnedKind } from './observe.js';

export async function recordOwnership(
  db: Connection,
  kind: OwnedKind,
  id: string,
  feed: string | null,
  adopted: boolean,
): Promise<void> {
  await db.execute(
    'INSERT INTO feedctl_inventory (resource_kind, resource_id, feed_name, adopted) VALUES (?, ?, ?, ?) ' +
      'ON DUPLICATE KEY UPDATE feed_name = VALUES(feed_name), adopted = VALUES(adopted)',
    [kind, id, feed, adopted],
  );
}

export async function forgetOwnership(db: Connection, kind: OwnedKind, id: string): Promise<void> {
  await db.execute('DELETE FROM feedctl_inventory WHERE resource_kind = ? AND resource_id = ?', [kind, id]);
}

/** One ownership row of {@link recordOwnerships}. */
export interface Owned {
  id: string;
  feed: string | null;
  adopted: boolean;
}

/** Records ownership of several resources of one kind in one multi-row statement. */
export async function recordOwnerships(
  db: Connection,
  kind: OwnedKind,
  owned: readonly Owned[],
): Promise<void> {
  if (owned.length === 0) return;
  await db.query(
    'INSERT INTO feedctl_inventory (resource_kind, resource_id, feed_name, adopted) VALUES ' +
      owned.map(() => '(?, ?, ?, ?)').join(', ') +
      ' ON DUPLICATE KEY UPDATE feed_name = VALUES(feed_name), adopted = VALUES(adopted)',
    owned.flatMap((o) => [kind, o.id, o.feed, o.adopted]),
  );
}
