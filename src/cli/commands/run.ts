/**
 * `feedctl run`: a worker that runs the consumers writing the lake and the warehouse, converging to what
 * `feedctl reconcile` declared, until SIGTERM/SIGINT — then it stops fetching, flushes, commits and exits 0.
 * Meanwhile it serves /metrics, /healthz and /readyz (src/health) on http.host:http.port. The work itself is
 * run-worker.ts's, in the thread run-thread.ts starts.
 */
import { Option, type Command } from 'commander';
import { setDefaultLevel } from '../../log.js';
import type { Destination } from '../../feeds/types.js';
import { configFor } from '../context.js';
import { hostsRunThread, runInThread, runThreadLimits } from '../run-thread.js';
import {
  httpHostOption,
  httpOverrides,
  httpPortOption,
  metricsPortOption,
  type HttpOpts,
} from '../http-options.js';

interface Opts extends HttpOpts {
  destinations: 'lake' | 'warehouse' | 'all';
  pollInterval: string;
}

export function destinationsOf(which: Opts['destinations']): Destination[] {
  return which === 'all' ? ['lake', 'warehouse'] : [which];
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run the consumers that write the lake and the warehouse, until SIGTERM or SIGINT')
    .addOption(
      new Option('--destinations <which>', 'which consumers this worker runs')
        .choices(['lake', 'warehouse', 'all'])
        .default('all'),
    )
    .option('--poll-interval <ms>', 'how often to look for consumers to start, restart or stop', '2000')
    .addOption(httpHostOption())
    .addOption(httpPortOption())
    .addOption(metricsPortOption())
    .action(async function (this: Command, opts: Opts) {
      await runCommand(this, opts);
    });
}

async function runCommand(cmd: Command, opts: Opts): Promise<void> {
  setDefaultLevel('info');
  const { config } = configFor(cmd, httpOverrides(opts));
  if (hostsRunThread()) {
    process.exitCode = await runInThread(process.argv, runThreadLimits(config));
    return;
  }
  const { runWorker } = await import('./run-worker.js');
  await runWorker(config, destinationsOf(opts.destinations), Number(opts.pollInterval));
}
