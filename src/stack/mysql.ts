/**
 * The local MySQL-compatible server: detect it at the configured address; when it is down and local, start the
 * installed mariadbd/mysqld; then create the configured database. Never installs a server itself.
 */
import { spawn } from 'node:child_process';
import type { Config } from '../config/config.js';
import { FeedctlError } from '../errors.js';
import { connectMysql, createDatabase, withMysql, type RowDataPacket } from '../clients/mysql.js';
import { logger } from '../log.js';
import { findBinary, runCommand, waitFor } from './process.js';

const log = logger('stack.mysql');
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/usr/local/mysql/bin'];

export type MysqlEnsureResult = {
  state: 'already-running' | 'started';
  version: string;
  databaseCreated: boolean;
};

/** Makes sure the server answers and the configured database exists. */
export async function ensureMysql(config: Config): Promise<MysqlEnsureResult> {
  let state: MysqlEnsureResult['state'] = 'already-running';
  if (!(await answers(config))) {
    await startLocalServer(config);
    state = 'started';
  }
  const version = await withMysql(
    config,
    async (c) => String((await c.query<RowDataPacket[]>('SELECT VERSION() AS v'))[0][0]?.v),
    { withDatabase: false },
  );
  return { state, version, databaseCreated: await createDatabase(config) };
}

/** Whether the server answers a connection (without selecting the database). */
export async function answers(config: Config): Promise<boolean> {
  try {
    const c = await connectMysql(config, { withDatabase: false });
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function startLocalServer(config: Config): Promise<void> {
  const host = new URL(config.mysql.url).hostname;
  const where = `${host}:${new URL(config.mysql.url).port || 3306}`;
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw notReachable(
      `${where} is not reachable: start that server, or set FEEDCTL_MYSQL_URL to one that runs`,
    );
  }
  const bin = findBinary(['mariadbd', 'mysqld'], SBIN);
  if (!bin) {
    throw notReachable(
      `nothing answers on ${where} and no mariadbd/mysqld binary is installed: install one (e.g. apt-get install mariadb-server) or set FEEDCTL_MYSQL_URL to a running MySQL 8 / MariaDB 10.6+ server`,
    );
  }
  log.info({ bin }, 'starting local mysql server');
  await launch(bin);
  const outcome = await waitFor(() => answers(config), 60_000);
  if (outcome !== 'ready')
    throw notReachable(
      `started ${bin} but nothing answers on ${where} after 60 s; check the server's error log`,
    );
}

/** Starts the server the way the distribution does: start-stop-daemon as root when present, else detached. */
async function launch(bin: string): Promise<void> {
  const ssd = findBinary(['start-stop-daemon'], SBIN);
  if (ssd && process.getuid?.() === 0) {
    const res = await runCommand(ssd, ['--start', '--oknodo', '--background', '--exec', bin]);
    if (res.code !== 0) throw notReachable(`start-stop-daemon could not start ${bin}: ${res.output.trim()}`);
    return;
  }
  spawn(bin, [], { detached: true, stdio: 'ignore' }).unref();
}

function notReachable(detail: string): FeedctlError {
  return new FeedctlError('MYSQL_UNREACHABLE', detail, { subsystem: 'stack', action: 'start mysql' });
}
