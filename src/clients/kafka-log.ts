/**
 * kafkajs' log lines routed to pino (`kafka.client`), with its levels adjusted to what they mean for feedctl:
 * INFO is chatty (joins, commits) and goes to debug, and so do a few warnings and errors that are expected.
 */
import { logLevel, type LogEntry } from 'kafkajs';
import { logger } from '../log.js';

type Level = 'error' | 'warn' | 'info' | 'debug';

const LEVELS: Record<number, Level> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs warnings about choices feedctl makes on purpose (see createProducer): logged at debug. */
const EXPECTED_WARNINGS = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/**
 * Coordinator errors that are transient on a fresh start: until the broker has created `__consumer_offsets` and
 * loaded the group, a FindCoordinator (kafkajs: `GroupCoordinator`) request answers GROUP_COORDINATOR_NOT_AVAILABLE
 * or COORDINATOR_LOAD_IN_PROGRESS. kafkajs retries these itself (its cluster layer logs them at debug), but its
 * connection layer logs every error response at ERROR first, so each fresh start printed a spurious ERROR. If the
 * coordinator never comes, kafkajs gives up with its own error (a consumer crash), which stays at ERROR.
 */
const TRANSIENT_COORDINATOR_ERRORS = new Set([
  'The group coordinator is not available',
  "The coordinator is loading and hence can't process requests for this group",
]);

/** The pino level of one kafkajs log entry. Pure; exported for tests. */
export function kafkaLogLevel(level: number, message: string, fields: Record<string, unknown>): Level {
  if (level === logLevel.INFO || EXPECTED_WARNINGS.has(message)) return 'debug';
  if (isTransientCoordinatorError(message, fields)) return 'debug';
  return LEVELS[level] ?? 'debug';
}

function isTransientCoordinatorError(message: string, fields: Record<string, unknown>): boolean {
  return (
    message.startsWith('Response GroupCoordinator(') &&
    typeof fields.error === 'string' &&
    TRANSIENT_COORDINATOR_ERRORS.has(fields.error)
  );
}

/** kafkajs' logCreator: every entry becomes a pino line with kafkajs' message and fields. */
export function pinoLogCreator() {
  const log = logger('kafka.client');
  return ({ level, label, log: entry }: LogEntry) => {
    // kafkajs' own `timestamp` and `logger: 'kafkajs'` repeat pino's time and the subsystem.
    const { message, timestamp: _t, logger: _l, ...fields } = entry as LogEntry['log'] & { logger?: unknown };
    log[kafkaLogLevel(level, message, fields)]({ kafkaLevel: label, ...fields }, message);
  };
}
