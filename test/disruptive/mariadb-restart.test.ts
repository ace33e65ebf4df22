/**
 * MariaDB restarts during ingestion: the warehouse consumer pauses and retries, the lake consumer (its own
 * consumer group) keeps going, and once the server is back the warehouse catches up with nothing lost or doubled.
 * The worker's health server (wired as `feedctl run` wires it) turns unready with its mysql check failing while the
 * server is down — the worker stays alive — and ready again after.
 * It stops the shared server, so it runs in the `disruptive` project, alone. It needs a server this machine can
 * start again (a local mariadbd/mysqld whose @@hostname is this machine's): against a remote server, or a CI service
 * container, it is skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnv } from '../helpers/env.js';
import { useFeedctl } from '../helpers/cli.js';
import {
  lakeCounts,
  produce,
  refMessages,
  streamFeedYaml,
  tableCounts,
  waitUntil,
} from '../helpers/runtime.js';
import { answers, ensureMysql } from '../../src/stack/mysql.js';
import { Worker } from '../../src/runtime/worker/worker.js';
import { startHealth, workerLiveness, type RunningHealth } from '../../src/cli/health.js';
import { checkEndpoint, checkOf } from '../helpers/health.js';
import { mariadbRestartable, shutdownMariadb } from './mariadb.js';

const env = useTestEnv('rt_mysql_restart');
const fc = useFeedctl(env);
const restartable = await mariadbRestartable(env.config);

/** A probe that counts an unreachable server as "not yet". */
const probing = (fn: () => Promise<boolean>) => () => fn().catch(() => false);

describe.skipIf(!restartable)('MariaDB restarted during ingestion', () => {
  let worker: Worker;
  let health: RunningHealth;
  let topic: string;
  beforeAll(async () => {
    topic = env.topic('restart');
    fc.writeFeed('restarty', streamFeedYaml({ name: 'restarty', topic }));
    expect((await fc.cli('reconcile')).code).toBe(0);
    worker = new Worker({ config: env.config, destinations: ['lake', 'warehouse'], pollMs: 500 });
    // On a free port: vitest.config.ts sets FEEDCTL_HTTP_PORT=0 for these tests.
    health = await startHealth(env.config, {
      registries: [worker.metrics.registry],
      liveness: [workerLiveness(worker)],
    });
    await worker.start();
  });
  afterAll(async () => {
    if (!(await answers(env.config))) await ensureMysql(env.config);
    await worker.stop();
    await health.close();
  });

  /** /readyz is `status` with the mysql check `ok`. */
  const readiness = (status: number, mysqlOk: boolean) => async () => {
    const r = await checkEndpoint(health.url, '/readyz');
    return r.status === status && checkOf(r, 'mysql')?.ok === mysqlOk;
  };

  it('pauses the warehouse, keeps the lake going, and loses nothing', { timeout: 240_000 }, async () => {
    await produce(env.config, topic, refMessages('r', 0, 5000));
    await waitUntil(
      'the first 5,000 in both sinks',
      async () =>
        (await lakeCounts(env.config.lake.root, 'restarty')).rows === 5000 &&
        (await tableCounts(env.config, 'fact_restarty')).rows === 5000,
    );

    await waitUntil('/readyz ready', readiness(200, true), 30_000);

    shutdownMariadb(env.config);
    try {
      await waitUntil('/readyz unready, its mysql check failing', readiness(503, false), 30_000);
      const ready = await checkEndpoint(health.url, '/readyz');
      expect(checkOf(ready, 'mysql')?.detail).toMatch(/^mysql: probe \S+:\d+: .*(ECONNREFUSED|connect)/i);
      expect(checkOf(ready, 'kafka')?.ok).toBe(true);
      // The worker's loop goes on (its rounds fail fast): alive, only not ready.
      expect((await checkEndpoint(health.url, '/healthz')).status).toBe(200);
      await produce(env.config, topic, refMessages('r', 5000, 5000));
      await waitUntil(
        'the lake to keep going while MySQL is down',
        async () => (await lakeCounts(env.config.lake.root, 'restarty')).rows === 10_000,
      );
      const warehouse = worker.report().consumers.find((c) => c.destination === 'warehouse');
      expect(warehouse?.state).toBe('retrying');
      expect(warehouse?.lastError).toMatch(/mysql|connect|ECONNREFUSED|PROTOCOL/i);
      expect((await checkEndpoint(health.url, '/readyz')).status).toBe(503);
    } finally {
      await ensureMysql(env.config);
    }
    await waitUntil('/readyz ready again', readiness(200, true), 60_000, 1000);

    await waitUntil(
      'the warehouse to catch up',
      probing(async () => (await tableCounts(env.config, 'fact_restarty')).rows === 10_000),
      120_000,
      1000,
    );
    expect(await tableCounts(env.config, 'fact_restarty')).toEqual({ rows: 10_000, distinct: 10_000 });
    expect(await lakeCounts(env.config.lake.root, 'restarty')).toEqual({ rows: 10_000, distinct: 10_000 });
    await waitUntil('the warehouse consumer to run again', async () =>
      worker.report().consumers.every((c) => c.state === 'running'),
    );
    await fc.expectConverged();
  });
});
