/**
 * The work of `feedctl run` in the thread (or process) that does it: the worker, its health server, until
 * SIGTERM/SIGINT — then it stops fetching, flushes, commits and returns. Loaded by run.ts only there, so the host
 * thread of the command never loads the runtime.
 */
import type { Config } from '../../config/config.js';
import { migrateUp } from '../../control/migrate.js';
import type { Destination } from '../../feeds/types.js';
import { Worker } from '../../runtime/worker/worker.js';
import { startHealth, workerLiveness } from '../health.js';
import { STOP_DEADLINE_MS, untilSignal } from '../signals.js';

export async function runWorker(config: Config, destinations: Destination[], pollMs: number): Promise<void> {
  const stopping = untilSignal();
  const worker = new Worker({ config, destinations, pollMs });
  // First, so a port in use fails before anything connects, and /healthz answers during start-up.
  const health = await startHealth(config, {
    registries: [worker.metrics.registry],
    liveness: [workerLiveness(worker)],
  });
  try {
    await migrateUp(config);
    await worker.start();
    process.stderr.write(
      `feedctl worker ${worker.identity.instanceId} running (${destinations.join(', ')}); stop with Ctrl-C\n`,
    );
    await stopping;
    await worker.stop(STOP_DEADLINE_MS - 5000);
  } finally {
    await health.close();
  }
}
