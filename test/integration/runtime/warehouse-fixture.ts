/**
 * Shared setup of the warehouse sink tests: an isolated database (useTestEnv) with the control-plane tables and one
 * feed's table, pools that are closed in teardown, and small builders for records and for reading rows back.
 */
import { afterAll, beforeAll } from 'vitest';
import { useTestEnv, type TestEnv } from '../../helpers/env.js';
import { feedSpec, type FeedSpecOverrides } from '../../helpers/feed-spec.js';
import { createMysqlPool, withMysql, type Pool, type RowDataPacket } from '../../../src/clients/mysql.js';
import type { LocalInfileMode } from '../../../src/config/config.js';
import { migrateUp } from '../../../src/control/migrate.js';
import type { FeedSpec } from '../../../src/feeds/types.js';
import { createTableSql } from '../../../src/reconciler/tables/ddl.js';
import { resolveCollations } from '../../../src/reconciler/tables/collations.js';
import { desiredTable } from '../../../src/reconciler/tables/desired.js';
import { observeCollations } from '../../../src/reconciler/tables/observe.js';
import type { DecodedRecord, FieldValue } from '../../../src/runtime/record.js';
import { WarehouseSink } from '../../../src/runtime/warehouse/sink.js';

export interface WarehouseFixture {
  env: TestEnv;
  feed: FeedSpec;
  topic: string;
  /** A pool on the test database, closed in teardown. */
  pool(size?: number): Pool;
  /** A sink on a new pool (a fresh "process") unless one is given. */
  sink(opts?: { pool?: Pool; generation?: number; localInfile?: LocalInfileMode }): WarehouseSink;
  /** Runs SQL on a connection of its own (not the sink's pool). */
  sql<T = RowDataPacket[]>(sql: string, values?: unknown[]): Promise<T>;
  /** The stored next offset per partition. */
  storedOffsets(): Promise<Record<number, number>>;
}

export function useWarehouse(name: string, overrides: FeedSpecOverrides = {}): WarehouseFixture {
  const env = useTestEnv(name);
  const feed = feedSpec({ name: 'wh_feed', ...overrides });
  const topic = `ft.${name}.topic`;
  const pools: Pool[] = [];
  const sql = <T>(text: string, values: unknown[] = []) =>
    withMysql(env.config, async (c) => (await c.query(text, values))[0] as T);

  beforeAll(async () => {
    await migrateUp(env.config);
    const server = await withMysql(env.config, observeCollations);
    const ddl = createTableSql(resolveCollations(desiredTable(feed), server));
    await sql(ddl.sql, ddl.values);
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  });

  const pool = (size = 2) => {
    const p = createMysqlPool(env.config, size);
    pools.push(p);
    return p;
  };
  return {
    env,
    feed,
    topic,
    pool,
    sink: (opts = {}) =>
      new WarehouseSink({
        pool: opts.pool ?? pool(),
        feed,
        generation: opts.generation ?? 1,
        topic,
        localInfile: opts.localInfile,
      }),
    sql,
    async storedOffsets() {
      const rows = await sql<RowDataPacket[]>(
        'SELECT partition_id, next_offset FROM feedctl_offsets WHERE feed_name = ? AND topic = ?',
        [feed.name, topic],
      );
      return Object.fromEntries(rows.map((r) => [Number(r.partition_id), Number(r.next_offset)]));
    },
  };
}

/** A decoded record; `values` in field order. */
export function rec(
  partition: number,
  offset: number,
  eventTimeMs: number,
  values: FieldValue[],
): DecodedRecord {
  return { partition, offset, timestampMs: eventTimeMs, eventTimeMs, values };
}

/** The customer_events fields of test/helpers/feed-spec.ts for one event. */
export function customerEvent(
  id: string,
  eventTimeMs: number,
  amount: string | null = '10.00',
): FieldValue[] {
  return [id, `cust-${id}`, 'purchase', amount, 1, eventTimeMs];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let trxReadAt = 0;

/**
 * Open InnoDB transactions of sessions in the test database (thread id, state, rows modified). The server fills
 * information_schema.innodb_trx from a cache it refreshes only when unread for 0.1 s, so reads are spaced out.
 */
export async function openTransactions(f: WarehouseFixture): Promise<RowDataPacket[]> {
  await sleep(Math.max(0, trxReadAt + 150 - Date.now()));
  const rows = await f.sql<RowDataPacket[]>(
    'SELECT t.trx_mysql_thread_id AS id, t.trx_state AS state, t.trx_rows_modified AS modified' +
      ' FROM information_schema.innodb_trx t JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id' +
      ' WHERE p.db = ?',
    [f.env.config.mysql.database],
  );
  trxReadAt = Date.now();
  return rows;
}

/** Kills the session of the one open transaction in the test database (the sink mid-write). */
export async function killSink(f: WarehouseFixture): Promise<number> {
  const rows = await openTransactions(f);
  if (rows.length !== 1) throw new Error(`expected one open transaction, found ${rows.length}`);
  const id = Number(rows[0]?.id);
  await f.sql(`KILL ${id}`);
  return id;
}

/**
 * Waits until a killed session is gone: the client sees its connection drop at once, the server rolls the
 * transaction back after that, and until then its row locks stay.
 */
export async function rolledBack(f: WarehouseFixture, threadId: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await f.sql<RowDataPacket[]>('SELECT 1 FROM information_schema.processlist WHERE id = ?', [
      threadId,
    ]);
    if (rows.length === 0) return;
    await sleep(25);
  }
  throw new Error(`session ${threadId} still there after 10 s`);
}
