/**
 * The health server of the long-running commands (`run`, `reconcile --watch`; their flags are in
 * http-options.ts): the start that serves the given registries and checks next to the shared readiness probes (Kafka,
 * MySQL, migrations) and prints the URL once on stderr.
 */
import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { loopCheck, staleAfterMs, type Check } from '../health/checks.js';
import { readinessProbes } from '../health/probes.js';
import { serveHealth } from '../health/server.js';
import { statusPages } from '../web/routes.js';
import { statusSource } from '../web/source.js';
import type { Worker } from '../runtime/worker/worker.js';

/** What a command serves besides the shared readiness probes. */
export interface HealthParts {
  /** Only one of them may carry the process metrics (RuntimeMetrics does; else use processRegistry()). */
  registries: Registry[];
  liveness: Check[];
  /** Checks added to Kafka, MySQL and migrations on /readyz. */
  readiness?: Check[];
}

export interface RunningHealth {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the server on config.http, with the status pages (src/web) on `/`, and prints
 * `health and metrics on <url> (status page: <url>/)` on stderr.
 */
export async function startHealth(config: Config, parts: HealthParts): Promise<RunningHealth> {
  const probes = readinessProbes(config);
  const source = statusSource(config);
  const closeAll = () => Promise.allSettled([probes.close(), source.close()]);
  try {
    const server = await serveHealth({
      host: config.http.host,
      port: config.http.port,
      registries: parts.registries,
      liveness: parts.liveness,
      readiness: [...probes.checks, ...(parts.readiness ?? [])],
      pages: statusPages(source, config.http.token),
    });
    process.stderr.write(`feedctl: health and metrics on ${server.url} (status page: ${server.url}/)\n`);
    return {
      url: server.url,
      close: async () => {
        await server.close();
        await closeAll();
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** The worker's converge loop completed a round recently (stale after max(3 poll intervals, 60 s)). */
export function workerLiveness(worker: Worker): Check {
  return loopCheck({
    name: 'worker',
    lastAt: () => worker.lastTickAt,
    staleAfterMs: staleAfterMs(worker.pollMs),
  });
}
