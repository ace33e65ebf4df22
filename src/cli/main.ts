/**
 * The `feedctl` command line. This file only wires commands; each lives in src/cli/commands/<name>.ts and exports
 * `register(program)`. `run()` returns the process exit code instead of exiting, so tests can call it in-process.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { FeedctlError, causeText } from '../errors.js';
import * as configCmd from './commands/config.js';
import * as importCmd from './commands/import.js';
import * as migrateCmd from './commands/migrate.js';
import * as newCmd from './commands/new.js';
import * as reconcileCmd from './commands/reconcile.js';
import * as retentionCmd from './commands/retention.js';
import * as runCmd from './commands/run.js';
import * as stackCmd from './commands/stack.js';
import * as statusCmd from './commands/status.js';
import * as validateCmd from './commands/validate.js';
import { ExitCode } from './exit.js';

const COMMANDS = [
  configCmd,
  stackCmd,
  migrateCmd,
  validateCmd,
  newCmd,
  importCmd,
  reconcileCmd,
  runCmd,
  statusCmd,
  retentionCmd,
];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Builds the commander program; exported for tests and docs. */
export function buildProgram(): Command {
  const program = new Command('feedctl')
    .description('Declarative GitOps reconciler for Kafka data feeds')
    .version(version(), '-V, --version')
    .option(
      '-c, --config <file>',
      'config file (default: ./feedctl.config.yaml when present, or $FEEDCTL_CONFIG)',
    )
    .showHelpAfterError()
    .exitOverride();
  for (const cmd of COMMANDS) cmd.register(program);
  return program;
}

/** Parses argv, runs the command, and returns the exit code (errors are printed, masked, to stderr). */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof ExitCode) return err.code;
    process.stderr.write(`error: ${err instanceof FeedctlError ? err.message : causeText(err)}\n`);
    if (
      err instanceof FeedctlError &&
      (err.code === 'MYSQL_UNREACHABLE' || err.code === 'KAFKA_UNREACHABLE')
    ) {
      process.stderr.write(
        'hint: start the local stack with `npm start` (or `feedctl stack up`), or point feedctl at your servers (see README, Configuration)\n',
      );
    }
    return 1;
  }
}

export { ExitCode };
