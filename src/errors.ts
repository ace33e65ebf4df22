/**
 * The one error module of feedctl.
 *
 * Every failure that leaves a subsystem is a {@link FeedctlError}: a stable machine `code`, whether retrying can
 * help (`retriable`), structured `context` (never secrets) and the underlying `cause`. Messages read
 * `subsystem: action <id>: cause`, e.g. `kafka: create topic orders: broker unreachable`.
 */

/** Stable error codes; callers branch on these, never on message text. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'VALIDATION_FAILED'
  | 'KAFKA_UNREACHABLE'
  | 'KAFKA_REQUEST_FAILED'
  | 'MYSQL_UNREACHABLE'
  | 'MYSQL_QUERY_FAILED'
  | 'DATABASE_MISSING'
  | 'STACK_PROVISION_FAILED'
  | 'MIGRATION_FAILED'
  | 'LOCK_TIMEOUT'
  | 'PLAN_STALE'
  | 'PLAN_BLOCKED'
  | 'APPLY_FAILED'
  | 'INVALID_IDENTIFIER'
  | 'OFFSET_FENCED'
  | 'LAKE_WRITE_FAILED'
  | 'LAKE_UNREACHABLE'
  | 'LAKE_STATE_INVALID'
  | 'DEAD_LETTER_REFUSED'
  | 'HTTP_LISTEN_FAILED'
  | 'THREAD_LOST'
  | 'INTERNAL';

export interface FeedctlErrorOptions {
  subsystem: string;
  action: string;
  /** The resource the action was about (feed, topic, table, migration ...); omitted from the message when absent. */
  id?: string;
  retriable?: boolean;
  context?: Record<string, unknown>;
  cause?: unknown;
}

/** A typed, classified error. Invariant: `message` never contains a password (see {@link maskSecrets}). */
export class FeedctlError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly subsystem: string;
  readonly action: string;
  readonly id: string | undefined;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, detail: string, opts: FeedctlErrorOptions) {
    const where = opts.id === undefined ? opts.action : `${opts.action} ${opts.id}`;
    super(maskSecrets(`${opts.subsystem}: ${where}: ${detail}`), { cause: opts.cause });
    this.name = 'FeedctlError';
    this.code = code;
    this.retriable = opts.retriable ?? false;
    this.subsystem = opts.subsystem;
    this.action = opts.action;
    this.id = opts.id;
    this.context = opts.context ?? {};
  }
}

/** A broken invariant: a bug in feedctl (code INTERNAL, never retriable). */
export function internalError(subsystem: string, action: string, detail: string): FeedctlError {
  return new FeedctlError('INTERNAL', detail, { subsystem, action });
}

/** Wraps any thrown value into a FeedctlError, keeping an existing one as is. */
export function wrapError(
  err: unknown,
  code: ErrorCode,
  opts: Omit<FeedctlErrorOptions, 'cause'>,
): FeedctlError {
  if (err instanceof FeedctlError) return err;
  return new FeedctlError(code, causeText(err), { ...opts, cause: err });
}

/** Stable log fields of a thrown value: the code and, when it says one, the reason of the first FeedctlError in it. */
export function errorFields(err: unknown): { code?: ErrorCode; reason?: string } {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (!(e instanceof FeedctlError)) continue;
    const reason = e.context.reason;
    return typeof reason === 'string' ? { code: e.code, reason } : { code: e.code };
  }
  return {};
}

/** The human text of a thrown value, masked. */
export function causeText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return causeText(err.errors[0]);
  if (err instanceof Error) return maskSecrets(err.message || err.name);
  return maskSecrets(String(err));
}

/** One problem found while validating input; all are collected before failing. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
  severity: 'error' | 'warning';
}

/** `file:line:col: message`, the format editors and CI annotations understand. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)(@)/gi;
const KEY_VALUE_PASSWORD = /((?:password|passwd|pwd|secret)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi;

/** Replaces passwords in URLs (`mysql://u:secret@h`) and `password=...` pairs with `***`. */
export function maskSecrets(text: string): string {
  return text.replace(URL_PASSWORD, '$1***$3').replace(KEY_VALUE_PASSWORD, '$1***');
}
