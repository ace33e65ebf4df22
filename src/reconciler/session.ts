/**
 * A reconcile session: connected Kafka admin and MySQL connection, checked up front so an unreachable service
 * fails the run with a clear message (a plan is never computed against a world we could not see).
 */
import type { Config } from '../config/config.js';
import { createKafka, kafkaUnreachable, type Admin } from '../clients/kafka.js';
import { connectMysql, mysqlError, type Connection } from '../clients/mysql.js';
import { pendingMigrationsReadOnly } from '../control/migrate.js';
import { countRoundTrips, type RoundTrips } from './roundtrips.js';

/** Open clients for one run. Invariant: both connected; `close()` is idempotent. */
export interface Session {
  config: Config;
  kafka: Admin;
  db: Connection;
  /** Control-plane migrations not applied yet (read without writing). */
  pendingMigrations: string[];
  roundTrips: RoundTrips;
  close(): Promise<void>;
}

export async function openSession(config: Config): Promise<Session> {
  const roundTrips: RoundTrips = { kafka: 0, mysql: 0 };
  // quiet: an unreachable broker is reported once, as our error, not as kafkajs' retry log lines.
  const admin = createKafka(config, { retries: 2, quiet: true }).admin();
  const [kafkaResult, dbResult] = await Promise.allSettled([admin.connect(), connectMysql(config)]);
  if (kafkaResult.status === 'rejected' || dbResult.status === 'rejected') {
    if (dbResult.status === 'fulfilled') await dbResult.value.end().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    if (dbResult.status === 'rejected') throw mysqlError(dbResult.reason, config, 'connect');
    throw kafkaUnreachable(config, (kafkaResult as PromiseRejectedResult).reason);
  }
  const db = dbResult.value;
  let closed = false;
  return {
    config,
    kafka: countRoundTrips(admin, roundTrips, 'kafka'),
    db: countRoundTrips(db, roundTrips, 'mysql'),
    pendingMigrations: await pendingMigrationsReadOnly(db),
    roundTrips,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([admin.disconnect(), db.end()]);
    },
  };
}
