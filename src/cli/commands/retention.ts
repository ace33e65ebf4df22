/** `feedctl retention`: deletes (or, with --dry-run, lists) the lake data and warehouse rows past each policy. */
import { Option, type Command } from 'commander';
import { createMysqlPool } from '../../clients/mysql.js';
import { migrateUp } from '../../control/migrate.js';
import { FeedctlError } from '../../errors.js';
import { runRetention } from '../../runtime/retention/job.js';
import { renderRetention } from '../../runtime/retention/render.js';
import { configFor } from '../context.js';
import { ExitCode } from '../exit.js';

interface Opts {
  dryRun?: boolean;
  output: 'text' | 'json';
}

/** How long a run waits for one in progress elsewhere (a worker's) before giving up. */
const LOCK_WAIT_SECONDS = 30;

export function register(program: Command): void {
  program
    .command('retention')
    .description('delete the lake partitions, table versions and warehouse rows past each feed policy')
    .argument('[feeds...]', 'only these feeds (default: every feed feedctl manages)')
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async function (this: Command, feeds: string[], opts: Opts) {
      const { config } = configFor(this);
      if (!opts.dryRun) await migrateUp(config);
      const db = createMysqlPool(config, 2);
      try {
        const report = await runRetention(
          { config, db },
          { dryRun: opts.dryRun === true, feeds, lockWaitSeconds: LOCK_WAIT_SECONDS },
        );
        if (report === null) {
          throw new FeedctlError(
            'LOCK_TIMEOUT',
            `another retention run held the lock for ${LOCK_WAIT_SECONDS} s`,
            {
              subsystem: 'retention',
              action: 'run',
              retriable: true,
            },
          );
        }
        process.stdout.write(
          opts.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderRetention(report),
        );
        if (report.feeds.some((f) => f.error !== null)) throw new ExitCode(1);
      } finally {
        await db.end();
      }
    });
}
