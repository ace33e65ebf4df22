import { parentPort } from 'node:worker_threads';

/**
 * Long-running commands end on SIGTERM or SIGINT; a second signal exits at once. Call it first, before starting
 * anything, so a signal that arrives during start-up still ends the command cleanly.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  const early = takeOverEarlySignals();
  return new Promise((resolve) => {
    let first = true;
    const onSignal = (sig: NodeJS.Signals) => {
      if (!first) process.exit(sig === 'SIGINT' ? 130 : 1);
      first = false;
      exitAfterDeadline();
      resolve(sig);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    // In the runtime's thread (run-thread.ts), the main thread forwards the signals it receives.
    parentPort?.on('message', (m: { signal?: NodeJS.Signals }) => m.signal && onSignal(m.signal));
    if (early) onSignal(early);
  });
}

/** What bin/feedctl.js keeps of the signals that arrive while the CLI loads. */
interface EarlySignals {
  pending: NodeJS.Signals | null;
  handler: (sig: NodeJS.Signals) => void;
}

/** Removes the entry point's load-time handlers; the signal that arrived meanwhile, if any. */
export function takeOverEarlySignals(): NodeJS.Signals | null {
  const early = (globalThis as { feedctlEarlySignals?: EarlySignals }).feedctlEarlySignals;
  if (!early) return null;
  process.off('SIGTERM', early.handler);
  process.off('SIGINT', early.handler);
  return early.pending;
}

/** How long a long-running command may take to stop after SIGTERM (the README's promise). */
export const STOP_DEADLINE_MS = 20_000;

/**
 * Ends the process once `STOP_DEADLINE_MS` have passed since the signal, whatever still runs (e.g. a query that
 * never answers): exit code 1 and a line saying so. Nothing is lost by it: every sink resumes from its durable
 * offset.
 */
export function exitAfterDeadline(): void {
  setTimeout(() => {
    process.stderr.write(`feedctl: did not stop within ${STOP_DEADLINE_MS / 1000} s; exiting\n`);
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
}
