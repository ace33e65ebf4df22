/** Long-running commands end on SIGTERM or SIGINT; a second signal exits at once. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(130));
      resolve(sig);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
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
