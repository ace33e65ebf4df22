/** `feedctl stack up|down|status`: the local Kafka + MySQL stack used by `npm start` and `npm test`. */
import type { Command } from 'commander';
import { migrateUp } from '../../control/migrate.js';
import { describeStack, stackDown, stackStatus, stackUp } from '../../stack/stack.js';
import { configFor } from '../context.js';
import { ExitCode } from '../exit.js';

export function register(program: Command): void {
  const stack = program.command('stack').description('manage the local Kafka broker and MySQL server');
  stack
    .command('up')
    .description('start the local broker and MySQL if needed (idempotent), create the database, and migrate')
    .option('--no-migrate', 'do not apply control-plane migrations')
    .action(async function (this: Command, opts: { migrate: boolean }) {
      const { config } = configFor(this);
      const result = await stackUp(config);
      const applied = opts.migrate ? await migrateUp(config) : [];
      for (const line of describeStack(config, result)) process.stdout.write(`${line}\n`);
      if (opts.migrate)
        process.stdout.write(`schema  ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`);
    });
  stack
    .command('down')
    .description('stop the local Kafka broker started by `stack up` (MySQL is left running)')
    .action(async function (this: Command) {
      const { config } = configFor(this);
      process.stdout.write(`kafka   ${await stackDown(config)}\n`);
    });
  stack
    .command('status')
    .description('tell whether the broker and MySQL answer; exit 1 when one does not')
    .action(async function (this: Command) {
      const { config } = configFor(this);
      const s = await stackStatus(config);
      process.stdout.write(
        `kafka   ${s.kafka.reachable ? 'up' : 'down'}${s.kafka.pid ? ` (pid ${s.kafka.pid})` : ''}\n`,
      );
      process.stdout.write(`mysql   ${s.mysql ? 'up' : 'down'}\n`);
      if (!s.kafka.reachable || !s.mysql) throw new ExitCode(1);
    });
}
