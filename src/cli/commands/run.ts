/**
 * `feedctl run`: a worker that runs the consumers writing the lake and the warehouse, converging to what
 * `feedctl reconcile` declared, until SIGTERM/SIGINT — then it stops fetching, flushes, commits and exits 0.
 * Meanwhile it serves /metrics, /healthz and /readyz (src/health) on http.host:http.port.
 */
import { Option, type Command } from 'commander';
import { migrateUp } from '../../control/migrate.js';
import { setDefaultLevel } from '../../log.js';
import type { Destination } from '../../feeds/types.js';
import { Worker } from '../../runtime/worker/worker.js';
import { configFor } from '../context.js';
import { hostsRunThread, runInThread, runThreadLimits } from '../run-thread.js';
import {
  httpHostOption,
  httpOverrides,
  httpPortOption,
  metricsPortOption,
  startHealth,
  workerLiveness,
  type HttpOpts,
} from '../health.js';
import { STOP_DEADLINE_MS, untilSignal } from '../signals.js';

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
      await runWorker(this, opts);
    });
}

async function runWorker(cmd: Command, opts: Opts): Promise<void> {
  setDefaultLevel('info');
  const { config } = configFor(cmd, httpOverrides(opts));
  if (hostsRunThread()) {
    process.exitCode = await runInThread(process.argv, runThreadLimits(config));
    return;
  }
  const stopping = untilSignal();
  const worker = new Worker({
    config,
    destinations: destinationsOf(opts.destinations),
    pollMs: Number(opts.pollInterval),
  });
  // First, so a port in use fails before anything connects, and /healthz answers during start-up.
  const health = await startHealth(config, {
    registries: [worker.metrics.registry],
    liveness: [workerLiveness(worker)],
  });
  try {
    await migrateUp(config);
    await worker.start();
    process.stderr.write(
      `feedctl worker ${worker.identity.instanceId} running (${opts.destinations}); stop with Ctrl-C\n`,
    );
    await stopping;
    await worker.stop(STOP_DEADLINE_MS - 5000);
  } finally {
    await health.close();
  }
}
