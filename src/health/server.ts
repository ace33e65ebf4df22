/**
 * The health server of a long-running feedctl process (`run`, `reconcile --watch`), on node:http:
 *
 * | path       | answer                                                                                        |
 * | ---------- | --------------------------------------------------------------------------------------------- |
 * | `/metrics` | the given prom-client registries, merged, in the Prometheus text format                       |
 * | `/healthz` | liveness: 200 when every liveness check is ok (the process loop is alive), else 503           |
 * | `/readyz`  | readiness: 200 when every readiness check is ok (Kafka, MySQL, migrations, ...), else 503     |
 *
 * Both check endpoints answer `{status: 'ok' | 'failing', checks: [{name, ok, detail}]}`. Other paths go to the
 * optional `pages` handler (the status pages, src/web), else 404; other methods 405. Only one of the registries may carry the process default metrics ({@link processRegistry}):
 * a name registered twice fails at start.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { FeedctlError, causeText } from '../errors.js';
import { logger } from '../log.js';
import { CheckRunner, type Check, type CheckReport } from './checks.js';

export type { Check, CheckResult } from './checks.js';

export interface HealthOptions {
  /** Address to listen on (the `http.host` setting; loopback by default). */
  host: string;
  /** Port to listen on (the `http.port` setting); 0 picks a free one, see {@link HealthServer.port}. */
  port: number;
  /** Served together on /metrics. */
  registries: Registry[];
  /** /healthz: is the process loop alive? A failing liveness check means "restart me". */
  liveness: Check[];
  /** /readyz: can the process do its work? A failing readiness check means "do not count on me now". */
  readiness: Check[];
  /** Per-check timeout in ms (default 2500). */
  checkTimeoutMs?: number;
  /** Serves other paths (the status pages); resolves false for a path it does not serve. */
  pages?: PageHandler;
}

/** Serves a request when its path is one of its own; false lets the server answer 404. */
export type PageHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;

export interface HealthServer {
  /** `http://host:port`, the port being the one actually bound. */
  url: string;
  port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const log = logger('health');

/** Starts the server; rejects with HTTP_LISTEN_FAILED (naming the setting to change) when it cannot listen. */
export async function serveHealth(opts: HealthOptions): Promise<HealthServer> {
  mergedRegistry(opts.registries); // a duplicate metric name fails now, not at the first scrape
  const endpoints = new Endpoints(opts);
  const server = createServer((req, res) => void endpoints.handle(req, res));
  await listen(server, opts.host, opts.port);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${isIPv6(opts.host) ? `[${opts.host}]` : opts.host}:${port}`;
  log.info({ address: url }, 'health server listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** A registry with the process and Node.js metrics (prefix feedctl_), for a process that has no other. */
export function processRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'feedctl_' });
  return registry;
}

function mergedRegistry(registries: Registry[]): Registry {
  try {
    return registries.length > 0 ? Registry.merge(registries) : new Registry();
  } catch (err) {
    throw new FeedctlError('INTERNAL', causeText(err), {
      subsystem: 'health',
      action: 'merge metrics',
      cause: err,
    });
  }
}

class Endpoints {
  private readonly runner: CheckRunner;
  private ready: boolean | undefined;

  constructor(private readonly opts: HealthOptions) {
    this.runner = new CheckRunner(opts.checkTimeoutMs);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== '/metrics' && path !== '/healthz' && path !== '/readyz') {
      if (this.opts.pages && (await this.opts.pages(req, res, path))) return;
      return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /, /metrics, /healthz or /readyz\n');
    }
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    try {
      if (path === '/metrics') await this.metrics(res);
      else await this.checks(res, path === '/readyz');
    } catch (err) {
      log.warn({ path, err: causeText(err) }, 'health endpoint failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `${causeText(err)}\n`);
    }
  }

  private async metrics(res: ServerResponse): Promise<void> {
    // Merged per scrape, so a metric registered after start is served too.
    const registry = mergedRegistry(this.opts.registries);
    send(res, 200, registry.contentType, await registry.metrics());
  }

  private async checks(res: ServerResponse, readiness: boolean): Promise<void> {
    const reports = await this.runner.runAll(readiness ? this.opts.readiness : this.opts.liveness);
    const ok = reports.every((r) => r.ok);
    if (readiness) this.noteReadiness(ok, reports);
    const body = JSON.stringify({ status: ok ? 'ok' : 'failing', checks: reports });
    send(res, ok ? 200 : 503, 'application/json; charset=utf-8', `${body}\n`);
  }

  /** Logs when readiness changes (not on every probe). */
  private noteReadiness(ok: boolean, reports: CheckReport[]): void {
    if (ok === this.ready) return;
    this.ready = ok;
    if (ok) log.info('ready');
    else log.warn({ failing: reports.filter((r) => !r.ok) }, 'not ready');
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(listenError(err, host, port)));
    server.listen(port, host, () => resolve());
  });
}

/** Says which setting to change: the port when it is taken or forbidden, the host when it is not ours. */
function listenError(err: Error, host: string, port: number): FeedctlError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE'
      ? `port ${port} is in use: choose another with http.port (FEEDCTL_HTTP_PORT, --http-port), or 0 for a free one`
      : code === 'EACCES'
        ? `port ${port} needs privileges: choose one above 1023 with http.port (FEEDCTL_HTTP_PORT, --http-port)`
        : `${causeText(err)}: check http.host (FEEDCTL_HTTP_HOST, --http-host)`;
  return new FeedctlError('HTTP_LISTEN_FAILED', why, {
    subsystem: 'health',
    action: 'listen',
    id: `${host}:${port}`,
    context: { code },
    cause: err,
  });
}
