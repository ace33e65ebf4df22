/**
 * Control-plane migrations: `migrations/NNNN_name.up.sql` (+ `.down.sql`), run in name order by umzug with its
 * journal in the MySQL table `feedctl_schema_migrations`. A MySQL named lock makes concurrent migrators safe.
 * Forward-only in production; `down` exists for tests. `up` first creates the configured database when it is missing
 * (the only place besides `stack up` that does); the read-only paths never create it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Umzug, UmzugStorage } from 'umzug';
import type { Config } from '../config/config.js';
import { FeedctlError, causeText } from '../errors.js';
import {
  connectMysql,
  createDatabase,
  isDatabaseAccessDenied,
  isUnknownDatabase,
  mysqlError,
  type Connection,
  type RowDataPacket,
} from '../clients/mysql.js';
import { logger } from '../log.js';
import { lockName } from '../sql/locks.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const JOURNAL = 'feedctl_schema_migrations';
const log = logger('migrate');

/** One migration's state, as `feedctl migrate status` shows it. */
export interface MigrationStatus {
  name: string;
  applied: boolean;
  appliedAt: string | null;
}

const storage: UmzugStorage<Connection> = {
  async executed({ context }) {
    const [rows] = await context.query<RowDataPacket[]>(`SELECT name FROM ${JOURNAL} ORDER BY name`);
    return rows.map((r) => String(r.name));
  },
  async logMigration({ name, context }) {
    await context.execute(`INSERT INTO ${JOURNAL} (name) VALUES (?)`, [name]);
  },
  async unlogMigration({ name, context }) {
    await context.execute(`DELETE FROM ${JOURNAL} WHERE name = ?`, [name]);
  },
};

/** The SQL migrations found in `dir`, as umzug migrations. */
export function sqlMigrations(dir = MIGRATIONS_DIR) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.up.sql'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.up.sql'.length);
      const downFile = path.join(dir, `${name}.down.sql`);
      return {
        name,
        path: path.join(dir, f),
        up: async ({ context }: { context: Connection }) =>
          void (await context.query(readFileSync(path.join(dir, f), 'utf8'))),
        down: async ({ context }: { context: Connection }) => {
          if (!existsSync(downFile))
            throw new FeedctlError('MIGRATION_FAILED', 'no down migration', {
              subsystem: 'migrate',
              action: 'down',
              id: name,
            });
          await context.query(readFileSync(downFile, 'utf8'));
        },
      };
    });
}

/** A connection for migrating; with `create`, a missing database is created first (CREATE DATABASE privilege). */
async function connectMigrator(config: Config, create: boolean): Promise<Connection> {
  try {
    return await connectMysql(config, { multipleStatements: true });
  } catch (err) {
    // A user without privileges on a missing database is told `access denied`, not `unknown database`: try to
    // create it too, so such a user learns whether it may (and what to ask for when not).
    if (!create || !(isUnknownDatabase(err) || isDatabaseAccessDenied(err))) throw err;
  }
  if (await createDatabase(config)) log.info({ database: config.mysql.database }, 'database created');
  return connectMysql(config, { multipleStatements: true });
}

/** Takes the migration lock `lock` on `conn` (LOCK_TIMEOUT after 60 s) and creates the journal if missing. */
async function lockJournal(conn: Connection, lock: string): Promise<void> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, 60) AS got', [lock]);
  if (rows[0]?.got !== 1) {
    throw new FeedctlError('LOCK_TIMEOUT', 'another migration holds the lock', {
      subsystem: 'migrate',
      action: 'lock',
      id: lock,
      retriable: true,
    });
  }
  await conn.query(`CREATE TABLE IF NOT EXISTS ${JOURNAL} (
    name VARCHAR(255) NOT NULL PRIMARY KEY,
    applied_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
}

/** An umzug on `conn` with the SQL migrations (umzug is loaded here, on first use). */
async function umzugOn(conn: Connection): Promise<Umzug<Connection>> {
  const { Umzug } = await import('umzug');
  return new Umzug<Connection>({ migrations: sqlMigrations(), context: conn, storage, logger: undefined });
}

/**
 * Runs `fn` over a dedicated connection, holding the migration lock; `fn` gets an umzug on that connection on
 * demand (umzug costs a thread some 25 MB: a worker whose database is up to date never loads it).
 */
async function withMigrator<T>(
  config: Config,
  fn: (u: () => Promise<Umzug<Connection>>, c: Connection) => Promise<T>,
  create = false,
): Promise<T> {
  const conn = await connectMigrator(config, create);
  const lock = lockName(config.mysql.database, 'migrate');
  try {
    await lockJournal(conn, lock);
    return await fn(() => umzugOn(conn), conn);
  } catch (err) {
    if (err instanceof FeedctlError) throw err;
    throw new FeedctlError('MIGRATION_FAILED', causeText(err), {
      subsystem: 'migrate',
      action: 'run',
      id: config.mysql.database,
      cause: err,
    });
  } finally {
    await conn.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined);
    await conn.end().catch(() => undefined);
  }
}

/** Creates the database when missing, applies every pending migration; returns the names applied. */
export async function migrateUp(config: Config): Promise<string[]> {
  const done = await withMigrator(
    config,
    async (umzug, conn) => {
      const applied = new Set(await storage.executed({ context: conn }));
      if (sqlMigrations().every((m) => applied.has(m.name))) return [];
      return (await umzug()).up();
    },
    true,
  );
  for (const m of done) log.info({ migration: m.name }, 'migration applied');
  return done.map((m) => m.name);
}

/** Reverts the last `steps` migrations (or all with `steps = 'all'`). For tests and development. */
export async function migrateDown(config: Config, steps: number | 'all' = 1): Promise<string[]> {
  const done = await withMigrator(config, async (umzug) =>
    (await umzug()).down(steps === 'all' ? { to: 0 } : { step: steps }),
  );
  return done.map((m) => m.name);
}

/** Every known migration with whether and when it was applied. */
export async function migrationStatus(config: Config): Promise<MigrationStatus[]> {
  return withMigrator(config, async (_u, conn) => {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT name, DATE_FORMAT(applied_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS at FROM ${JOURNAL}`,
    );
    const applied = new Map(rows.map((r) => [String(r.name), String(r.at)]));
    return sqlMigrations().map((m) => ({
      name: m.name,
      applied: applied.has(m.name),
      appliedAt: applied.get(m.name) ?? null,
    }));
  }).catch((err) => {
    throw mysqlError(err, config, 'migration status');
  });
}

/**
 * Names of migrations not yet applied, read-only (no lock, no journal creation): for `reconcile --dry-run`, which
 * must touch nothing and work without write permissions.
 */
export async function pendingMigrationsReadOnly(conn: Connection): Promise<string[]> {
  const [exists] = await conn.query<RowDataPacket[]>(
    'SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?',
    [JOURNAL],
  );
  const applied = new Set<string>();
  if (exists.length > 0) {
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT name FROM ${JOURNAL}`);
    for (const r of rows) applied.add(String(r.name));
  }
  return sqlMigrations()
    .map((m) => m.name)
    .filter((n) => !applied.has(n));
}
