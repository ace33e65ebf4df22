/**
 * The health server of the long-running commands (`run`, `reconcile --watch`): their `--http-host`/`--http-port`
 * flags, and the start that serves the given registries and checks next to the shared readiness probes (Kafka,
 * MySQL, migrations) and prints the URL once on stderr.
 */
import { Option } from 'commander';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { loopCheck, staleAfterMs, type Check } from '../health/checks.js';
import { readinessProbes } from '../health/probes.js';
import { serveHealth } from '../health/server.js';
import { statusPages } from '../web/routes.js';
import { statusSource } from '../web/source.js';
import type { Worker } from '../runtime/worker/worker.js';

/** The flags of {@link httpHostOption}, {@link httpPortOption} and {@link metricsPortOption}. */
export interface HttpOpts {
  httpHost?: string;
  httpPort?: string;
  /** Deprecated alias of httpPort (`run` only). */
  metricsPort?: string;
}

/** `--http-host`; `when` tells which invocations serve (e.g. "with --watch"). */
export const httpHostOption = (when = ''): Option =>
  new Option(
    '--http-host <host>',
    `${prefix(when)}address of /metrics, /healthz, /readyz (default: http.host)`,
  );

/** `--http-port`; `when` as for {@link httpHostOption}. */
export const httpPortOption = (when = ''): Option =>
  new Option(
    '--http-port <port>',
    `${prefix(when)}port of /metrics, /healthz, /readyz (default: http.port; 0: any)`,
  );

const prefix = (when: string) => (when ? `${when}: ` : '');

/** The hidden, deprecated `--metrics-port` of `run`: an alias of --http-port. */
export const metricsPortOption = (): Option =>
  new Option('--metrics-port <port>', 'deprecated: use --http-port').hideHelp();

/** The config overrides of the flags; warns once when the deprecated one is used. */
export function httpOverrides(opts: HttpOpts): Record<string, string | undefined> {
  if (opts.metricsPort !== undefined) {
    process.stderr.write(
      'feedctl: --metrics-port is deprecated: use --http-port (the server listens on http.host, 127.0.0.1 unless set)\n',
    );
  }
  return { 'http.host': opts.httpHost, 'http.port': opts.httpPort ?? opts.metricsPort };
}

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
