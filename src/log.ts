/**
 * Structured logging: one pino root, one child per subsystem. Messages are constant strings; variable data goes in
 * fields. Fields named like secrets are redacted before they reach any output.
 *
 * Runtime lines about a feed's consumer carry `feed`, `destination` ('lake' | 'warehouse') and `generation`, bound
 * once where the consumer's parts are built, and `partition` (a number) when the line is about one partition.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { colorAllowed, logFormat, prettyDestination } from './log-pretty.js';

const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'mysql.url',
  '*.mysql.url',
  'url',
  '*.url',
  'sasl',
  '*.sasl',
];

let root: Logger | undefined;
let defaultLevel = 'warn';

/** Sets the level used when FEEDCTL_LOG_LEVEL is unset; call before the first log line. */
export function setDefaultLevel(level: string): void {
  defaultLevel = level;
  if (root && !process.env.FEEDCTL_LOG_LEVEL) root.level = level;
}

/**
 * The process-wide root logger on stderr: JSON, or readable lines when stderr is a terminal (FEEDCTL_LOG_FORMAT=
 * json|pretty forces either). Level from FEEDCTL_LOG_LEVEL, else `warn` for one-shot commands (their results go
 * to stdout) — long-running commands call {@link setDefaultLevel}('info') first.
 */
export function rootLogger(): Logger {
  root ??= createLogger(stderrDestination());
  return root;
}

function stderrDestination(): DestinationStream {
  const stderr = pino.destination({ fd: 2, sync: false });
  const tty = process.stderr.isTTY === true;
  if (logFormat(process.env, tty) === 'json') return stderr;
  return prettyDestination(stderr, colorAllowed(process.env, tty));
}

/** A logger with the root's settings (level, base fields, redaction) writing to `destination`. */
export function createLogger(destination: DestinationStream): Logger {
  return pino(
    {
      level: process.env.FEEDCTL_LOG_LEVEL ?? defaultLevel,
      base: { app: 'feedctl' },
      redact: { paths: REDACT, censor: '***' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A child logger bound to one subsystem (`kafka`, `mysql`, `reconciler`, `runtime.lake` ...). */
export function logger(subsystem: string, fields: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ subsystem, ...fields });
}

/** The partition field of a line about some partitions: `partition` when they are one, else `partitions`. */
export function partitionFields(
  partitions: Iterable<number>,
): { partition: number } | { partitions: number[] } {
  const all = [...new Set(partitions)];
  return all.length === 1 ? { partition: all[0] as number } : { partitions: all };
}

/** Replaces the root logger (tests capture output through this). */
export function setRootLogger(l: Logger): void {
  root = l;
}
