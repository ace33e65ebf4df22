/** `feedctl stack up|down|status`: the local Kafka + MySQL (+ S3Proxy) stack used by `npm start` and `npm test`. */
import type { Command } from 'commander';
import { migrateUp } from '../../control/migrate.js';
import { describeStack, stackDown, stackStatus, stackUp } from '../../stack/stack.js';
import { configFor } from '../context.js';
import { ExitCode } from '../exit.js';

export function register(program: Command): void {
  const stack = program
    .command('stack')
    .description('manage the local Kafka broker, MySQL server and (for an s3:// lake on loopback) S3Proxy');
  stack
    .command('up')
    .description(
      'start the local broker, MySQL and S3Proxy if needed (idempotent), create the database and bucket, and migrate',
    )
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
    .description('stop the local Kafka broker and S3Proxy started by `stack up` (MySQL is left running)')
    .action(async function (this: Command) {
      const { config } = configFor(this);
      const down = await stackDown(config);
      process.stdout.write(`kafka   ${down.kafka}\n`);
      if (down.s3) process.stdout.write(`s3      ${down.s3}\n`);
    });
  stack
    .command('status')
    .description('tell whether the broker, MySQL and the local S3 server answer; exit 1 when one does not')
    .action(async function (this: Command) {
      const { config } = configFor(this);
      const s = await stackStatus(config);
      const up = (reachable: boolean, pid: number | null): string =>
        `${reachable ? 'up' : 'down'}${pid ? ` (pid ${pid})` : ''}`;
      process.stdout.write(`kafka   ${up(s.kafka.reachable, s.kafka.pid)}\n`);
      process.stdout.write(`mysql   ${s.mysql ? 'up' : 'down'}\n`);
      if (s.s3) process.stdout.write(`s3      ${s.s3.endpoint} ${up(s.s3.reachable, s.s3.pid)}\n`);
      if (!s.kafka.reachable || !s.mysql || (s.s3 && !s.s3.reachable)) throw new ExitCode(1);
    });
}
