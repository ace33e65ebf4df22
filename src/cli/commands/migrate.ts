/** `feedctl migrate up|down|status`: the control-plane schema (feed_registry, retention, audit_log, ...). */
import type { Command } from 'commander';
import { migrateDown, migrateUp, migrationStatus } from '../../control/migrate.js';
import { configFor } from '../context.js';

export function register(program: Command): void {
  const migrate = program.command('migrate').description('control-plane schema migrations');
  migrate
    .command('up')
    .description('apply pending migrations')
    .action(async function (this: Command) {
      const applied = await migrateUp(configFor(this).config);
      process.stdout.write(applied.length ? applied.map((n) => `applied ${n}\n`).join('') : 'up to date\n');
    });
  migrate
    .command('down')
    .description('revert the last migration (development and tests only: production is forward-only)')
    .option('--all', 'revert every migration')
    .action(async function (this: Command, opts: { all?: boolean }) {
      const reverted = await migrateDown(configFor(this).config, opts.all ? 'all' : 1);
      process.stdout.write(
        reverted.length ? reverted.map((n) => `reverted ${n}\n`).join('') : 'nothing to revert\n',
      );
    });
  migrate
    .command('status')
    .description('list migrations and whether they are applied')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async function (this: Command, opts: { output: string }) {
      const rows = await migrationStatus(configFor(this).config);
      if (opts.output === 'json') return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      for (const r of rows)
        process.stdout.write(
          `${r.applied ? 'applied' : 'pending'}  ${r.name}${r.appliedAt ? `  ${r.appliedAt}` : ''}\n`,
        );
    });
}
