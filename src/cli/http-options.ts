/**
 * The `--http-host`/`--http-port` flags of the long-running commands (`run`, `reconcile --watch`) and the config
 * overrides they make; the server itself is health.ts's, loaded only where it runs.
 */
import { Option } from 'commander';

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
