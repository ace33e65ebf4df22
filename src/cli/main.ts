/**
 * The `feedctl` command line. This file only wires commands; each lives in src/cli/commands/<name>.ts and exports
 * `register(program)`. `run()` returns the process exit code instead of exiting, so tests can call it in-process.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { FeedctlError, causeText } from '../errors.js';
import { ExitCode } from './exit.js';

interface CommandModule {
  register(program: Command): void;
}

/**
 * The commands, loaded on demand: a process loads the modules of the command it runs only (`feedctl run` in its
 * host thread loads no runtime at all), every one for help and unknown commands. Order: as `--help` lists them.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  config: () => import('./commands/config.js'),
  stack: () => import('./commands/stack.js'),
  migrate: () => import('./commands/migrate.js'),
  validate: () => import('./commands/validate.js'),
  new: () => import('./commands/new.js'),
  import: () => import('./commands/import.js'),
  reconcile: () => import('./commands/reconcile.js'),
  run: () => import('./commands/run.js'),
  status: () => import('./commands/status.js'),
  retention: () => import('./commands/retention.js'),
};

/** The command `argv` names (its first word, past the global `-c <file>`) when it is one; else null. */
function commandOf(argv: readonly string[]): string | null {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-c' || a === '--config') i++;
    else if (!a.startsWith('-')) return Object.hasOwn(COMMANDS, a) ? a : null;
  }
  return null;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Builds the commander program with `only` command, or every one; exported for tests and docs. */
export async function buildProgram(only: string | null = null): Promise<Command> {
  const program = new Command('feedctl')
    .description('Declarative GitOps reconciler for Kafka data feeds')
    .version(version(), '-V, --version')
    .option(
      '-c, --config <file>',
      'config file (default: ./feedctl.config.yaml when present, or $FEEDCTL_CONFIG)',
    )
    .showHelpAfterError()
    .exitOverride();
  const names = only === null ? Object.keys(COMMANDS) : [only];
  const modules = await Promise.all(names.map((n) => (COMMANDS[n] as () => Promise<CommandModule>)()));
  for (const m of modules) m.register(program);
  return program;
}

/** Parses argv, runs the command, and returns the exit code (errors are printed, masked, to stderr). */
export async function run(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(commandOf(argv));
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
