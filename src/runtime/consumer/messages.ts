/** kafkajs messages as the decoder's RawMessage, and a batch split into decoded records and dead letters (pure). */
import type { KafkaMessage } from '../../clients/kafka.js';
import type { Decoder, RawMessage } from '../decode/decoder.js';
import { isFailure } from '../decode/decoder.js';
import type { DeadLetter } from '../dlq/headers.js';
import type { InvalidMessage } from '../lake/buffers.js';
import type { DecodedRecord } from '../record.js';
import type { RejectedRecord } from '../warehouse/rows.js';

export function rawMessage(partition: number, m: KafkaMessage): RawMessage {
  return {
    partition,
    offset: Number(m.offset),
    timestampMs: Number(m.timestamp),
    key: m.key ?? null,
    value: m.value ?? null,
    headers: m.headers ?? {},
  };
}

/** The messages at or past offset `next` (kafkajs may return a few below the position it was sought to). */
export function fromOffset<T extends { offset: string }>(messages: T[], next: number): T[] {
  let i = 0;
  while (i < messages.length && Number((messages[i] as T).offset) < next) i++;
  return i === 0 ? messages : messages.slice(i);
}

/** One batch, decoded. Invariant: every message of the input is in exactly one of records or deadLetters. */
export interface DecodedBatch {
  records: DecodedRecord[];
  deadLetters: DeadLetter[];
  /** The batch's messages, for rows a sink refuses later. */
  raw: RawMessage[];
}

export function decodeBatch(decoder: Decoder, topic: string, messages: RawMessage[]): DecodedBatch {
  const out: DecodedBatch = { records: [], deadLetters: [], raw: messages };
  for (const m of messages) {
    const d = decoder.decode(m);
    if (isFailure(d)) out.deadLetters.push({ message: m, topic, failure: d });
    else out.records.push(d);
  }
  return out;
}

/** The dead letters of the rows a sink refused, with their original messages. */
export function rejectedLetters(
  decoded: DecodedBatch,
  topic: string,
  rejected: RejectedRecord[],
): DeadLetter[] {
  // Rare (a row the warehouse refused): the messages are looked up by offset only then.
  const byOffset = new Map(decoded.raw.map((m) => [m.offset, m]));
  return rejected.map((r) => ({
    message: byOffset.get(r.record.offset) as RawMessage,
    topic,
    failure: r.failure,
  }));
}

/** The dead letters of messages a sink's buffer found invalid. */
export function invalidLetters(topic: string, invalid: InvalidMessage[]): DeadLetter[] {
  return invalid.map((i) => ({ message: i.message, topic, failure: i.failure }));
}
