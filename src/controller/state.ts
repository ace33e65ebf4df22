/** A watch controller's last run in `feedctl_controllers` (migrations/0007), for `feedctl status`. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../config/config.js';
import { withMysql } from '../clients/mysql.js';
import type { RunReport } from './report.js';

/** This process's controller id: host, pid and a random suffix, like a worker's. */
export const CONTROLLER_ID = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.slice(0, 64);

export async function saveControllerState(config: Config, report: RunReport): Promise<void> {
  await withMysql(config, (c) =>
    c.query(
      `INSERT INTO feedctl_controllers (instance_id, host, pid, last_run) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE last_run = VALUES(last_run)`,
      [CONTROLLER_ID, hostname(), process.pid, JSON.stringify(report)],
    ),
  );
}

/** A controller that stops cleanly leaves status (one that dies shows until its row is an hour old). */
export async function forgetController(config: Config): Promise<void> {
  await withMysql(config, (c) =>
    c.query('DELETE FROM feedctl_controllers WHERE instance_id = ?', [CONTROLLER_ID]),
  );
}
