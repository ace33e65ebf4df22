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
