/**
 * The dead-letter copy of a failed message (pure): the original key, value and headers unchanged, plus feedctl's
 * headers. A feedctl header that the original already carried (a message replayed from a dead-letter topic) is
 * replaced by the one describing this failure.
 *
 * | header                       | value                                                        |
 * | ---------------------------- | ------------------------------------------------------------ |
 * | `feedctl.feed`               | feed name                                                    |
 * | `feedctl.generation`         | feed generation whose decoder or sink refused the message    |
 * | `feedctl.stage`              | `parse`, `schema`, `snapshot` or `write`                     |
 * | `feedctl.error.class`        | e.g. `InvalidJson`, `SchemaViolation`, `DataTooLong`         |
 * | `feedctl.error.message`      | one line, at most 1 KiB of UTF-8 (cut with `…`)              |
 * | `feedctl.original.topic`     | topic the message was read from                              |
 * | `feedctl.original.partition` | its partition, decimal                                       |
 * | `feedctl.original.offset`    | its offset, decimal                                          |
 * | `feedctl.original.timestamp` | its Kafka timestamp, ms since the epoch, decimal             |
 * | `feedctl.failed.at`          | when feedctl gave up on it, ISO 8601 UTC with milliseconds   |
 *
 * Only on a letter cut to fit the dead-letter topic (truncate.ts; its original key, value and headers are then not
 * all there):
 *
 * | header                          | value                                                        |
 * | ------------------------------- | ------------------------------------------------------------ |
 * | `feedctl.truncated`             | the parts cut, in the order they are cut: `value`, `key`,    |
 * |                                 | `headers`; e.g. `value` or `value,key` (empty ones skipped)  |
 * | `feedctl.original.value.bytes`  | size of the original value, decimal (when `value` was cut)   |
 * | `feedctl.original.key.bytes`    | size of the original key, decimal (when `key` was cut)       |
 */
import type { RawMessage } from '../decode/decoder.js';
import type { DecodeFailure } from '../record.js';

/** Names of the headers feedctl adds; see the module doc. */
export const DLQ_HEADERS = {
  feed: 'feedctl.feed',
  generation: 'feedctl.generation',
  stage: 'feedctl.stage',
  errorClass: 'feedctl.error.class',
  errorMessage: 'feedctl.error.message',
  topic: 'feedctl.original.topic',
  partition: 'feedctl.original.partition',
  offset: 'feedctl.original.offset',
  timestamp: 'feedctl.original.timestamp',
  failedAt: 'feedctl.failed.at',
  truncated: 'feedctl.truncated',
  originalValueBytes: 'feedctl.original.value.bytes',
  originalKeyBytes: 'feedctl.original.key.bytes',
} as const;

/** Longest `feedctl.error.message`, in UTF-8 bytes. */
export const MAX_ERROR_MESSAGE_BYTES = 1024;

/** One message that could not be decoded or written, with the topic it was read from. */
export interface DeadLetter {
  message: RawMessage;
  topic: string;
  failure: DecodeFailure;
}

/** A message as sent to the dead-letter topic (assignable to kafkajs' `Message`). */
export type DeadLetterMessage = Pick<RawMessage, 'key' | 'value' | 'headers'>;

/** Where and when a dead letter is being written. */
export interface DeadLetterContext {
  feed: string;
  generation: number;
  failedAt: Date;
}

/** `text` cut to at most `maxBytes` of UTF-8 at a code point boundary, ending with `…` when cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength('…', 'utf8');
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > room) break;
    bytes += size;
    end += ch.length;
  }
  return `${text.slice(0, end)}…`;
}

/** The message written to the dead-letter topic for `d`. */
export function deadLetterMessage(d: DeadLetter, ctx: DeadLetterContext): DeadLetterMessage {
  const m = d.message;
  return {
    key: m.key,
    value: m.value,
    headers: {
      ...m.headers,
      [DLQ_HEADERS.feed]: ctx.feed,
      [DLQ_HEADERS.generation]: String(ctx.generation),
      [DLQ_HEADERS.stage]: d.failure.stage,
      [DLQ_HEADERS.errorClass]: d.failure.errorClass,
      [DLQ_HEADERS.errorMessage]: truncateUtf8(d.failure.message, MAX_ERROR_MESSAGE_BYTES),
      [DLQ_HEADERS.topic]: d.topic,
      [DLQ_HEADERS.partition]: String(m.partition),
      [DLQ_HEADERS.offset]: String(m.offset),
      [DLQ_HEADERS.timestamp]: String(m.timestampMs),
      [DLQ_HEADERS.failedAt]: ctx.failedAt.toISOString(),
    },
  };
}

/** Approximate encoded size of a message (key, value, header names and values), for batching. */
export function messageBytes(m: DeadLetterMessage): number {
  let n = (m.key?.length ?? 0) + (m.value?.length ?? 0);
  for (const [k, v] of Object.entries(m.headers)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      n += k.length + 8 + (typeof one === 'string' ? Buffer.byteLength(one, 'utf8') : (one?.length ?? 0));
    }
  }
  return n;
}
