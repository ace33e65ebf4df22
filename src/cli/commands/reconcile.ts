/**
 * `feedctl reconcile [paths...]`: plan, print, and (unless --dry-run) apply.
 *
 * Exit codes (with --detailed-exitcode): 0 no changes (or all applied), 2 changes pending (dry-run), 3 changes
 * blocked by policy (destructive without --allow-destructive), 1 error (invalid manifests, plan errors, unreachable
 * services, a failed change). Without --detailed-exitcode, 2 becomes 0 and 3 becomes 1.
 */
import { Option, type Command } from 'commander';
import type { Config } from '../../config/config.js';
import { OUTPUT_FORMATS } from '../../reconciler/plan/render.js';
import type { ReconcileRequest } from '../../reconciler/reconcile.js';
import { configFor } from '../context.js';
import { ExitCode } from '../exit.js';
import { httpHostOption, httpOverrides, httpPortOption } from '../http-options.js';
import { hostsRunThread, runInThread, runThreadLimits } from '../run-thread.js';
import type { Opts } from './reconcile-once.js';

export function register(program: Command): void {
  program
    .command('reconcile')
    .description('make Kafka, MySQL and the registry match the feed manifests')
    .argument('[paths...]', 'manifest files or folders (default: feedsDir from the config)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--detailed-exitcode', 'exit 0 no changes, 2 changes pending, 3 blocked by policy, 1 error')
    .option('--allow-destructive', 'permit drops, narrowing type changes and pruning')
    .option('--prune', 'delete topics and tables of feeds whose manifest is gone (needs --allow-destructive)')
    .addOption(new Option('-o, --output <format>', 'plan format').choices(OUTPUT_FORMATS).default('text'))
    .option('--save-plan <file>', 'write the plan as JSON (to apply later with --plan-file)')
    .option('--plan-file <file>', 'apply this saved plan, only if the world still matches it')
    .option('--actor <name>', 'who is applying (default: CI user, git user, or OS user)')
    .option('--lock-timeout <seconds>', 'how long to wait for another reconcile to finish', '10')
    .option('--watch', 'keep running: re-apply on every manifest change, and run a worker (see --no-worker)')
    .option('--no-worker', 'with --watch: only reconcile, run no consumers')
    .addOption(
      new Option('--destinations <which>', 'with --watch: which consumers the worker runs')
        .choices(['lake', 'warehouse', 'all'])
        .default('all'),
    )
    .addOption(httpHostOption('with --watch'))
    .addOption(httpPortOption('with --watch'))
    .action(async function (this: Command, paths: string[], opts: Opts) {
      const { config } = configFor(this, opts.watch ? httpOverrides(opts) : {});
      const code = await runReconcile(config, requestOf(config, paths, opts), opts);
      if (code !== 0) throw new ExitCode(code);
    });
}

/**
 * Runs the one-off or the watching reconcile, loading only its modules; a watch with a worker runs in the thread
 * run-thread.ts starts (its host thread loads neither the reconciler nor the runtime).
 */
async function runReconcile(config: Config, req: ReconcileRequest, opts: Opts): Promise<number> {
  if (!opts.watch) return (await import('./reconcile-once.js')).reconcileCommand(config, req, opts);
  if (opts.worker && hostsRunThread()) return runInThread(process.argv, runThreadLimits(config));
  return (await import('./reconcile-watch.js')).watchCommand(config, req, opts);
}

function requestOf(config: Config, paths: string[], opts: Opts): ReconcileRequest {
  return {
    paths: paths.length > 0 ? paths : [config.feedsDir],
    options: { allowDestructive: Boolean(opts.allowDestructive), prune: Boolean(opts.prune) },
    actor: opts.actor,
    lockTimeoutSeconds: Number(opts.lockTimeout),
  };
}
