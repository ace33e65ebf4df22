/**
 * `feedctl run`: a worker that runs the consumers writing the lake and the warehouse, converging to what
 * `feedctl reconcile` declared, until SIGTERM/SIGINT — then it stops fetching, flushes, commits and exits 0.
 */
import { Option, type Command } from 'commander';
import { migrateUp } from '../../control/migrate.js';
import { setDefaultLevel } from '../../log.js';
import type { Destination } from '../../feeds/types.js';
import { serveMetrics } from '../../runtime/worker/metrics-server.js';
import { Worker } from '../../runtime/worker/worker.js';
import { configFor } from '../context.js';
import { STOP_DEADLINE_MS, untilSignal } from '../signals.js';

interface Opts {
  destinations: 'lake' | 'warehouse' | 'all';
  metricsPort?: string;
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
    .option('--metrics-port <port>', 'serve Prometheus metrics on http://0.0.0.0:<port>/metrics')
    .option('--poll-interval <ms>', 'how often to look for consumers to start, restart or stop', '2000')
    .action(async function (this: Command, opts: Opts) {
      setDefaultLevel('info');
      const { config } = configFor(this);
      const stopping = untilSignal();
      await migrateUp(config);
      const worker = new Worker({
        config,
        destinations: destinationsOf(opts.destinations),
        pollMs: Number(opts.pollInterval),
      });
      await worker.start();
      const server = opts.metricsPort
        ? await serveMetrics(worker.metrics, Number(opts.metricsPort))
        : undefined;
      process.stderr.write(
        `feedctl worker ${worker.identity.instanceId} running (${opts.destinations}); stop with Ctrl-C\n`,
      );
      await stopping;
      await worker.stop(STOP_DEADLINE_MS - 5000);
      server?.close();
    });
}
