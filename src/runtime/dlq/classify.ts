/**
 * What a failed dead-letter send means (pure). kafkajs errors are recognised by their fields (`name`, `type`,
 * `retriable`, `cause`), so this module does not import kafkajs.
 *
 * | kind        | errors                                                                   | the writer      |
 * | ----------- | ------------------------------------------------------------------------ | --------------- |
 * | `size`      | `MESSAGE_TOO_LARGE`, `RECORD_LIST_TOO_LARGE`                             | splits, cuts    |
 * | `transient` | kafkajs errors with `retriable: true`: connection lost or refused,       | retriable error |
 * |             | request timed out, producer disconnected, leader not available, not      |                 |
 * |             | leader, unknown topic or partition; the same wrapped in                  |                 |
 * |             | `KafkaJSNumberOfRetriesExceeded`                                         |                 |
 * | `terminal`  | everything else: `INVALID_RECORD`, authorization, policy violation,      | terminal error  |
 * |             | idempotence errors (the producer itself must be recreated), non-kafkajs  |                 |
 * |             | errors                                                                   |                 |
 *
 * An unknown topic stays transient on purpose: the dead-letter topic is a reconciled resource, so a missing one is
 * fixed by the next reconcile (or an operator), after which the retried send succeeds without losing a letter.
 */

/** How the dead-letter writer reacts to a failed send. */
export type SendErrorKind = 'size' | 'transient' | 'terminal';

/** Broker refusals of a message or batch for its size: retrying the same bytes can never succeed. */
export const SIZE_ERROR_TYPES: ReadonlySet<string> = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/** The fields of a kafkajs error this module reads. */
interface KafkaJSLike {
  name?: unknown;
  type?: unknown;
  retriable?: unknown;
  cause?: unknown;
}

/** The kind of `err`, as thrown by kafkajs' `producer.send`. */
export function classifySendError(err: unknown): SendErrorKind {
  const e = innermost(err);
  if (typeof e !== 'object' || e === null) return 'terminal';
  const { type, retriable, name } = e as KafkaJSLike;
  if (typeof type === 'string' && SIZE_ERROR_TYPES.has(type)) return 'size';
  const fromKafkaJS = typeof name === 'string' && name.startsWith('KafkaJS');
  return fromKafkaJS && retriable === true ? 'transient' : 'terminal';
}

/**
 * The error that decided the outcome: kafkajs gives up with KafkaJSNumberOfRetriesExceeded (never retriable
 * itself) around the last attempt's error, which tells whether a later send can succeed.
 */
function innermost(err: unknown): unknown {
  let e = err;
  for (let depth = 0; depth < 5; depth++) {
    const { name, cause } = (e ?? {}) as KafkaJSLike;
    if (name !== 'KafkaJSNumberOfRetriesExceeded' || cause === undefined) return e;
    e = cause;
  }
  return e;
}
