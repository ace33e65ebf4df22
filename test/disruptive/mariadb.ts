/**
 * Stopping the shared MariaDB for the disruptive tests: only a server this machine can start again (a local
 * mariadbd/mysqld whose @@hostname is this machine's; not a remote server or a CI service container).
 */
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { withMysql, type RowDataPacket } from '../../src/clients/mysql.js';
import type { Config } from '../../src/config/config.js';
import { findBinary } from '../../src/stack/process.js';

const admin = findBinary(['mariadb-admin', 'mysqladmin']);

/** Whether `shutdownMariadb` may stop the server and `ensureMysql` start it again. */
export async function mariadbRestartable(config: Config): Promise<boolean> {
  const url = new URL(config.mysql.url);
  const ours = await withMysql(
    config,
    async (c) => (await c.query<RowDataPacket[]>('SELECT @@hostname AS h'))[0][0]?.h === hostname(),
    { withDatabase: false },
  ).catch(() => false);
  return (
    ['127.0.0.1', 'localhost'].includes(url.hostname) &&
    ours &&
    admin !== undefined &&
    findBinary(['mariadbd', 'mysqld'], ['/usr/sbin', '/usr/local/sbin']) !== undefined
  );
}

export function shutdownMariadb(config: Config): void {
  const u = new URL(config.mysql.url);
  const args = ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username || 'root')];
  execFileSync(admin as string, [...args, 'shutdown'], {
    env: { ...process.env, MYSQL_PWD: decodeURIComponent(u.password) },
    timeout: 60_000,
  });
}
