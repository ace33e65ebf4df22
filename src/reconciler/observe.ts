/**
 * Observes everything a plan compares against, in a fixed number of round-trips whatever the number of feeds:
 * one listing of the database's tables and views (which also tells whether the control plane is migrated), the ownership
 * inventory, then every kind in parallel (Kafka: list + metadata + configs; MySQL: one or two queries per kind).
 * Read-only: safe for dry-runs with read-only credentials.
 */
import type { Admin } from '../clients/kafka.js';
import type { Connection, RowDataPacket } from '../clients/mysql.js';
import { observeConsumers, type ObservedConsumer } from './consumers/observe.js';
import type { DesiredState } from './desired.js';
import { observeGrants, type ObservedGrants } from './grants/observe.js';
import { inventoryOf, observeInventory, type Inventory, type OwnedKind } from './inventory/observe.js';
import { observeRegistry, type ObservedRegistry } from './registry/observe.js';
import type { ServerCollations } from './tables/collations.js';
import { observeCollations, observeTables, type ObservedTables } from './tables/observe.js';
import { observeTopics, type ObservedTopics } from './topics/observe.js';
import { observeViews, type ObservedViews } from './views/observe.js';

export interface ObservedState {
  inventory: Inventory;
  topics: ObservedTopics;
  tables: ObservedTables;
  views: ObservedViews;
  /** The server's names for the collations manifests ask for. */
  collations: ServerCollations;
  grants: ObservedGrants;
  registry: ObservedRegistry;
  consumers: Map<string, ObservedConsumer>;
}

/** What observation needs: connected clients (observers only read). */
export interface ObserveClients {
  kafka: Admin;
  db: Connection;
}

export async function observeState(c: ObserveClients, desired: DesiredState): Promise<ObservedState> {
  const [rows] = await c.db.query<RowDataPacket[]>(
    'SELECT table_name AS t, table_type AS k FROM information_schema.tables WHERE table_schema = DATABASE()',
  );
  const existing = new Set(rows.map((r) => String(r.t)));
  const isView = new Set(rows.filter((r) => String(r.k) === 'VIEW').map((r) => String(r.t)));
  const inventory = existing.has('feedctl_inventory') ? await observeInventory(c.db) : inventoryOf([]);
  const relevant = (kind: OwnedKind, wanted: string[]) => [
    ...new Set([...wanted, ...inventory.ofKind(kind).map((e) => e.id)]),
  ];
  const liveTables = relevant(
    'table',
    desired.tables.map((t) => t.name),
  ).filter((t) => existing.has(t));
  const viewNames = relevant(
    'view',
    desired.views.map((v) => v.name),
  );
  const liveViews = viewNames.filter((v) => isView.has(v));
  const viewsTakenByTables = viewNames.filter((v) => existing.has(v) && !isView.has(v));
  const roles = [...new Set([...desired.grants.declaredRoles, ...inventory.ofKind('role').map((e) => e.id)])];
  const [topics, tables, views, collations, grants, registry, consumers] = await Promise.all([
    observeTopics(c.kafka, desired.topics, inventory),
    observeTables(c.db, liveTables),
    observeViews(c.db, liveViews, viewsTakenByTables),
    observeCollations(c.db),
    observeGrants(c.db, roles, [...liveTables, ...liveViews]),
    observeRegistry(c.db, existing.has('feed_registry')),
    observeConsumers(c.db, existing.has('feedctl_consumers')),
  ]);
  return { inventory, topics, tables, views, collations, grants, registry, consumers };
}
