/**
 * A configured database that does not exist yet: `migrate up` creates it (utf8mb4) and migrates; the read-only
 * commands (`status`, `reconcile --dry-run`) create nothing and say which command creates it; a user that may not
 * create databases is told so and what to ask for.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../helpers/env.js';
import { feedYaml, useFeedctl } from '../helpers/cli.js';
import { withMysql, type RowDataPacket } from '../../src/clients/mysql.js';
import { quoteIdent } from '../../src/sql/ident.js';

const env = useTestEnv('missing_db');
const fc = useFeedctl(env);
const missing = `${env.config.mysql.database}_new`;
const user = `ft_nocreate_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');

/** Runs SQL as the test's (privileged) user on the server, without selecting a database. */
const root = <T = unknown>(sql: string, values: unknown[] = []) =>
  withMysql(env.config, async (c) => (await c.query(sql, values))[0] as T, { withDatabase: false });

async function schema(name: string): Promise<RowDataPacket | undefined> {
  const rows = await root<RowDataPacket[]>(
    'SELECT default_character_set_name AS cs, default_collation_name AS co FROM information_schema.schemata WHERE schema_name = ?',
    [name],
  );
  return rows[0];
}

/** The harness's config file, pointing at `database` (and, when given, at another MySQL user). */
function useDatabase(database: string, credentials?: string): void {
  const c = env.config;
  const url = new URL(c.mysql.url);
  if (credentials) [url.username, url.password] = credentials.split(':') as [string, string];
  fc.writeConfig(
    `kafka:\n  brokers: [${c.kafka.brokers.join(', ')}]\nmysql:\n  url: ${url.toString()}\n  database: ${database}\nlake:\n  root: ${c.lake.root}\nfeedsDir: ${fc.feedsDir}\n`,
  );
}

describe('a configured database that does not exist', () => {
  afterAll(async () => {
    await root(`DROP DATABASE IF EXISTS ${quoteIdent(missing)}`);
    await root(`DROP USER IF EXISTS ${quoteIdent(user)}@'%'`);
  });

  it('status and reconcile --dry-run fail, name the command that creates it, and create nothing', async () => {
    useDatabase(missing);
    fc.writeFeed('md', feedYaml({ name: 'md', topic: env.topic('md'), table: 'fact_md' }));
    for (const args of [['status'], ['reconcile', '--dry-run']]) {
      const r = await fc.cli(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`database ${missing} does not exist`);
      expect(r.stderr).toContain('`feedctl migrate up` creates it');
      expect(r.stderr).not.toContain('Unknown database');
    }
    expect(await schema(missing)).toBeUndefined();
  });

  it('a user that may not create it is told so and what to ask for', async () => {
    await root(`CREATE USER ${quoteIdent(user)}@'%' IDENTIFIED BY '${password}'`);
    useDatabase(missing, `${user}:${password}`);
    const r = await fc.cli('migrate', 'up');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`may not create database ${missing}`);
    expect(r.stderr).toContain('CREATE DATABASE IF NOT EXISTS');
    expect(r.stderr).not.toContain(password);
    expect(await schema(missing)).toBeUndefined();
  });

  it('migrate up creates it with utf8mb4 and migrates it; a second run is up to date', async () => {
    useDatabase(missing);
    const r = await fc.cli('migrate', 'up');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^applied \d{4}_/m);
    expect(await schema(missing)).toMatchObject({ cs: 'utf8mb4', co: 'utf8mb4_unicode_ci' });
    expect((await fc.cli('migrate', 'up')).stdout).toBe('up to date\n');
    expect((await fc.cli('status')).code).toBe(0);
  });
});
