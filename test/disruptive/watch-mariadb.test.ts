/**
 * The watch controller while MariaDB is down: an apply that fails because MySQL is unreachable is retried with
 * backoff and succeeds by itself once the server is back, with no file event. It stops the shared server, so it
 * runs in the `disruptive` project, alone; skipped against a server this machine cannot start again. Its
 * /readyz is unready meanwhile (mysql failing; the reconcile check still ok: failing for less than
 * controller.unreadyAfterSeconds) and ready again after.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { withMysql, type RowDataPacket } from '../../src/clients/mysql.js';
import { answers, ensureMysql } from '../../src/stack/mysql.js';
import { feedYaml, useFeedctl } from '../helpers/cli.js';
import { useTestEnv } from '../helpers/env.js';
import { checkEndpoint, checkOf } from '../helpers/health.js';
import { startWatch } from '../helpers/watch.js';
import { mariadbRestartable, shutdownMariadb } from './mariadb.js';

const env = useTestEnv('rt_watch_mysql');
const fc = useFeedctl(env);
const restartable = await mariadbRestartable(env.config);

const columns = () =>
  withMysql(env.config, async (c) => {
    const [r] = await c.query<RowDataPacket[]>(
      "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'fact_wm'",
    );
    return r.map((x) => String(x.c));
  });

describe.skipIf(!restartable)('the watch controller while MariaDB is down', () => {
  afterAll(async () => {
    if (!(await answers(env.config))) await ensureMysql(env.config);
  });

  it(
    'retries the failed apply and succeeds by itself once MariaDB is back',
    { timeout: 240_000 },
    async () => {
      const topic = env.topic('wm');
      const yaml = (extra: string[]) => feedYaml({ name: 'wm', topic, table: 'fact_wm', fields: extra });
      fc.writeFeed('wm', yaml([]));
      const watch = startWatch(fc, { FEEDCTL_RESYNC_SECONDS: '3600' });
      await watch.after(0, 'the first apply', /Apply complete: \d+ applied/);
      const base = await watch.healthUrl();
      expect((await checkEndpoint(base, '/readyz')).status).toBe(200);

      let mark = watch.out().length;
      shutdownMariadb(env.config);
      try {
        fc.writeFeed('wm', yaml(['{name: note, type: string, maxLength: 20, nullable: true}']));
        await watch.after(mark, 'the failed apply', /reconcile failed \([^\n]*\); retrying in \d+ s/);
        mark = watch.out().length;
        await watch.after(mark, 'a failed retry', /reconcile \(retry\)\n[\s\S]*reconcile failed/);
        const down = await checkEndpoint(base, '/readyz');
        expect(down.status).toBe(503);
        expect(checkOf(down, 'mysql')?.ok).toBe(false);
        expect(checkOf(down, 'reconcile')).toMatchObject({
          ok: true,
          detail: expect.stringMatching(/failing for \d+ s/),
        });
      } finally {
        await ensureMysql(env.config);
      }
      mark = watch.out().length;
      await watch.after(
        mark,
        'a retry applying the change',
        /reconcile \(retry\)\n[\s\S]*create column fact_wm\.note[\s\S]*Apply complete/,
      );
      expect(await columns()).toContain('note');
      expect((await checkEndpoint(base, '/readyz')).status).toBe(200);
      expect(await watch.stop()).toBe(0);
      await fc.expectConverged();
    },
  );
});
