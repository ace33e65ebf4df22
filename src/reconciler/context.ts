/**
 * What appliers receive: connected clients, the ownership inventory and the desired feeds. Appliers get clients
 * from here and never create their own.
 */
import type { Config } from '../config/config.js';
import type { Admin } from '../clients/kafka.js';
import type { Connection } from '../clients/mysql.js';
import type { FeedSpec } from '../feeds/types.js';
import type { Inventory } from './inventory/observe.js';

export interface ReconcileContext {
  config: Config;
  /** Connected kafkajs admin. */
  kafka: Admin;
  /** Connection to the configured database (`config.mysql.database`), autocommit. */
  db: Connection;
  /** Ownership as observed at the start of the run. */
  inventory: Inventory;
  /** The manifests' feeds by name (the plan was computed from them). */
  feeds: ReadonlyMap<string, FeedSpec>;
}
