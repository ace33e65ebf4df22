/**
 * `feedctl status`: the status model (src/status) — feeds and their sync state, the consumers reconcile declared and
 * what live workers report running — as text or, with `-o json`, exactly what the status page's `/api/status` answers.
 */
import { Option, type Command } from 'commander';
import { topicLogOffsets, withAdmin } from '../../clients/kafka.js';
import { withMysql } from '../../clients/mysql.js';
import { pendingMigrationsReadOnly } from '../../control/migrate.js';
import { readStatusModel } from '../../status/read.js';
import { renderStatusModel } from '../../status/text.js';
import { configFor } from '../context.js';
import { ExitCode } from '../exit.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('show which consumers run, where, at which generation and how far behind')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async function (this: Command, opts: { output: 'text' | 'json' }) {
      const { config } = configFor(this);
      const view = await withMysql(config, async (db) => {
        const pending = await pendingMigrationsReadOnly(db);
        if (pending.length > 0) return null;
        // Lag from the log end now (not as last reported); an unreachable broker leaves the reported lag.
        return withAdmin(config, (admin) => readStatusModel(db, (topic) => topicLogOffsets(admin, topic)), {
          retries: 0,
          quiet: true,
        }).catch(() => readStatusModel(db));
      });
      if (!view) {
        process.stderr.write(
          'the control plane is not migrated yet: run `feedctl migrate up` or `feedctl reconcile`\n',
        );
        throw new ExitCode(1);
      }
      process.stdout.write(
        opts.output === 'json' ? `${JSON.stringify(view, null, 2)}\n` : renderStatusModel(view),
      );
    });
}
