/**
 * What observers and appliers receive: connected clients and the ownership inventory. Observers only read;
 * appliers write. Both get clients from here, never create their own.
 */
import type { Config } from '../config/config.js';
import type { Admin } from '../clients/kafka.js';
import type { Connection } from '../clients/mysql.js';
import type { Inventory } from './inventory/observe.js';

export interface ReconcileContext {
  config: Config;
  /** Connected kafkajs admin. */
  kafka: Admin;
  /** Connection to the configured database (`config.mysql.database`), autocommit. */
  db: Connection;
  /** Ownership as observed at the start of the run. */
  inventory: Inventory;
}
