/** A spawned `feedctl reconcile --watch`, its output collected, for the watch controller's integration tests. */
import { spawn } from 'node:child_process';
import type { FeedctlHarness } from './cli.js';
import { waitUntil } from './runtime.js';
import { killOnExit } from './workers.js';

export interface WatchProcess {
  /** Everything printed on stdout so far. */
  out(): string;
  err(): string;
  /** Waits until stdout after `mark` (an earlier out().length) matches `re`. */
  after(mark: number, what: string, re: RegExp): Promise<void>;
  /** The base URL of its health server (`/metrics`, `/healthz`, `/readyz`), once it has printed it. */
  healthUrl(): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const HEALTH_LINE = /health and metrics on (http:\/\/\S+)/;

/** `--no-worker` unless `opts.worker`: then the process runs the consumers too. */
export function startWatch(
  fc: FeedctlHarness,
  vars: Record<string, string> = {},
  opts: { worker?: boolean } = {},
): WatchProcess {
  const args = ['bin/feedctl.js', '--config', fc.configFile, 'reconcile', '--watch'];
  const child = killOnExit(
    spawn(process.execPath, opts.worker ? args : [...args, '--no-worker'], {
      env: fc.childEnv({ NO_COLOR: '1', FEEDCTL_LOG_LEVEL: 'warn', ...vars }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    out: () => out,
    err: () => err,
    after: (mark, what, re) =>
      waitUntil(what, async () => re.test(out.slice(mark)), 60_000).catch((e: unknown) => {
        throw new Error(`${String(e)}\n--- stdout since the mark:\n${out.slice(mark)}\n--- stderr:\n${err}`);
      }),
    healthUrl: async () => {
      await waitUntil('the health server', async () => HEALTH_LINE.test(err), 60_000);
      return HEALTH_LINE.exec(err)?.[1] ?? '';
    },
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
