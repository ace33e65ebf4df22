/**
 * The contract between decoding and the sinks: one Kafka message, validated against its feed's schema and coerced
 * to the declared types. Sinks never see raw JSON.
 *
 * Value representation per field kind (null only when the field is nullable):
 *
 * | kind      | JS value                                                                            |
 * | --------- | ----------------------------------------------------------------------------------- |
 * | string    | string                                                                              |
 * | int       | number (a 32-bit signed integer)                                                    |
 * | bigint    | bigint (64-bit signed)                                                              |
 * | float     | number                                                                              |
 * | double    | number                                                                              |
 * | decimal   | string: the exact decimal in plain notation with exactly `scale` fraction digits,   |
 * |           | e.g. `"-12.30"` for decimal(15,2); never passed through a JS float                  |
 * | boolean   | boolean                                                                             |
 * | date      | number: days since 1970-01-01                                                       |
 * | timestamp | number: milliseconds since the epoch, UTC                                           |
 * | json      | string: the value re-serialized as compact JSON                                     |
 */

/**
 * One Kafka message as the consumer received it. `headers` has kafkajs' shape (`IHeaders`): a header sent several
 * times under one key is an array, kept as is so the dead-letter copy is unchanged.
 */
export interface RawMessage {
  partition: number;
  offset: number;
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/**
 * One Kafka message as the Kafka client fetched it (kafkajs' shape: offset and timestamp as decimal strings), for
 * code that packs a whole batch without making a {@link RawMessage} of each.
 */
export interface FetchedMessage {
  offset: string;
  timestamp: string;
  key?: Buffer | null;
  value: Buffer | null;
  headers?: RawMessage['headers'];
}

/**
 * A fetched message that copies its key and value without making a Buffer of them (the Kafka client's records,
 * clients/fetched-record.ts): packing a batch reads these when every message offers them.
 */
export interface CopyableMessage extends FetchedMessage {
  /** `timestamp` as a number. */
  readonly timestampMs: number;
  readonly hasHeaders: boolean;
  /** The number of bytes of the key or value; -1 when it is null. */
  byteLength(part: 'key' | 'value'): number;
  /** Copies the key or value (not null) into `target` at `at`. */
  copyBytes(part: 'key' | 'value', target: Uint8Array, at: number): void;
}

/** One field value; see the table above. */
export type FieldValue = string | number | bigint | boolean | null;

/** A decoded message. Invariant: `values[i]` belongs to `spec.schema.fields[i]` and has that field's representation. */
export interface DecodedRecord {
  partition: number;
  /** Kafka offsets fit a JS number (< 2^53). */
  offset: number;
  /** The Kafka record timestamp, ms since the epoch. */
  timestampMs: number;
  /** Event time (from the declared field, or the record timestamp), ms since the epoch, UTC. */
  eventTimeMs: number;
  values: FieldValue[];
  /** Table feeds only: the record's snapshot version, or the end marker of a version (which has no values). */
  snapshot?: SnapshotTag;
}

/**
 * A table feed record's place in its snapshot: a row of `version` (with the producer's `snapshot_date` header as a
 * day number, or null), or the end marker of `version` on its partition (with the producer's `snapshot_rows`, or
 * null). Invariant: a marker has `values: []`; markers only reach the table handlers, which never pass them on.
 */
export type SnapshotTag =
  { end: false; version: number; date: number | null } | { end: true; version: number; rows: number | null };

/** Why a message could not be decoded; it goes to the dead-letter topic with these as headers. */
export interface DecodeFailure {
  /**
   * `parse` (not JSON), `schema` (violates the feed schema), `snapshot` (a table feed record without a valid version,
   * or of a version already sealed or published), `write` (valid, but the sink cannot store it).
   */
  stage: 'parse' | 'schema' | 'snapshot' | 'write';
  /** A short stable class, e.g. `InvalidJson`, `SchemaViolation`, `DataTooLong`. */
  errorClass: string;
  /** Human text, e.g. `/amount: must have at most 2 decimal places`. */
  message: string;
}
