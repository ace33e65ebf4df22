/**
 * Message value → JSON object (pure). Two parsers with the same outcome except for numbers:
 * - fast path: native `JSON.parse`, numbers become JS numbers;
 * - lossless path (feeds with decimal, bigint or json fields): `lossless-json`, every number stays its text in a
 *   {@link JsonNumber}, so no decimal, 64-bit integer or embedded JSON number passes through a float.
 * Both accept a leading UTF-8 byte order mark (RFC 8259 §8.1) and let the last of duplicate keys win.
 */
import { isUtf8 } from 'node:buffer';
import { parse, stringify, type NumberStringifier } from 'lossless-json';
import type { DecodeFailure } from '../record.js';

/** A JSON number as written in the message (lossless path only). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A parsed message value: a JSON object, or why it is not one (stage `parse`). */
export type Parsed =
  { ok: true; object: Record<string, unknown>; text: string } | { ok: false; failure: DecodeFailure };

const LOSSLESS = {
  parseNumber: (text: string) => new JsonNumber(text),
  onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
};

const NUMBER_STRINGIFIERS: NumberStringifier[] = [
  { test: (v) => v instanceof JsonNumber, stringify: (v) => (v as JsonNumber).text },
];

function parseFailure(errorClass: string, message: string): Parsed {
  return { ok: false, failure: { stage: 'parse', errorClass, message } };
}

/** Parses a Kafka message value that must hold a UTF-8 JSON object. Never throws. */
export function parseObject(value: Buffer | null, lossless: boolean): Parsed {
  if (value === null)
    return parseFailure('EmptyValue', 'value is null (a tombstone), expected a JSON object');
  if (value.length === 0) return parseFailure('EmptyValue', 'value is empty, expected a JSON object');
  if (!isUtf8(value)) return parseFailure('InvalidJson', 'value is not valid UTF-8');
  const bom = value[0] === 0xef && value[1] === 0xbb && value[2] === 0xbf;
  const text = (bom ? value.subarray(3) : value).toString('utf8');
  let parsed: unknown;
  try {
    parsed = lossless ? parse(text, null, LOSSLESS) : JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/\s+/g, ' ') : String(err);
    return parseFailure('InvalidJson', `value is not valid JSON: ${why}`);
  }
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    parsed instanceof JsonNumber
  ) {
    return parseFailure('NotAnObject', `value must be a JSON object, got ${jsonKind(parsed)}`);
  }
  return { ok: true, object: parsed as Record<string, unknown>, text };
}

/** `an array`, `a string`, `null` ... for messages. */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof JsonNumber || typeof v === 'number') return 'a number';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Compact JSON of a parsed value; numbers of the lossless path are written exactly as they were received. */
export function compactJson(v: unknown): string {
  return stringify(v, undefined, undefined, NUMBER_STRINGIFIERS) ?? 'null';
}
