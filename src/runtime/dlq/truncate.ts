/**
 * Cutting a dead letter down to a size the dead-letter topic accepts (pure). The original's value is cut first,
 * then its key, then its own headers (dropped from the last); feedctl's headers (`feedctl.*`) are never cut, since
 * they say why and where the message failed. The cut letter carries `feedctl.truncated` and the original sizes
 * (see headers.ts). Cuts keep UTF-8 sequences whole, so a cut text value stays valid UTF-8.
 */
import { DLQ_HEADERS, messageBytes, type DeadLetterMessage } from './headers.js';

/**
 * Largest letter (by {@link messageBytes}) sent as is; a larger one is cut before its first send. Dead-letter
 * topics get the broker default `max.message.bytes` (1,048,588 bytes per record batch, uncompressed here), and
 * this leaves room for the batch and record framing.
 */
export const MAX_LETTER_BYTES = 1_000_000;

/** What can be cut from a letter, in the order it is cut. */
export type LetterPart = 'value' | 'key' | 'headers';
const PARTS: readonly LetterPart[] = ['value', 'key', 'headers'];

type Headers = DeadLetterMessage['headers'];

/** A letter after {@link truncateLetter}: `cut` is empty when it was left unchanged. */
export interface TruncatedLetter {
  message: DeadLetterMessage;
  cut: LetterPart[];
}

/** The longest prefix of `buf` of at most `maxBytes` that does not split a UTF-8 sequence. */
export function cutUtf8Bytes(buf: Buffer, maxBytes: number): Buffer {
  if (buf.length <= maxBytes) return buf;
  let end = Math.max(0, maxBytes);
  // A UTF-8 sequence is at most 4 bytes: back off over at most 3 continuation bytes (binary data may have more).
  for (let i = 0; i < 3 && end > 0 && (buf[end]! & 0xc0) === 0x80; i++) end--;
  if (end > 0 && (buf[end]! & 0xc0) === 0x80) end = Math.max(0, maxBytes);
  return Buffer.from(buf.subarray(0, end));
}

/** Whether nothing is left to cut: no key, no value, no headers of the original's own. */
export function isMinimal(m: DeadLetterMessage): boolean {
  const own = Object.keys(m.headers).filter((k) => !isFeedctlHeader(k));
  return (m.key?.length ?? 0) === 0 && (m.value?.length ?? 0) === 0 && own.length === 0;
}

/**
 * `m` cut to at most `maxBytes` (as {@link messageBytes} counts); unchanged when it fits. When even feedctl's
 * headers alone exceed `maxBytes`, the result is the minimal letter (see {@link isMinimal}), still too large.
 */
export function truncateLetter(m: DeadLetterMessage, maxBytes: number): TruncatedLetter {
  if (messageBytes(m) <= maxBytes) return { message: m, cut: [] };
  const state: Parts = { key: m.key, value: m.value, headers: ownHeaders(m.headers) };
  const cut: LetterPart[] = [];
  for (const part of PARTS) {
    if (!hasPart(state, part)) continue;
    cut.push(part);
    const emptied = { ...state, ...emptyPart(state, part) };
    const room = maxBytes - messageBytes(build(m, emptied, cut));
    if (room >= 0) return { message: build(m, { ...state, ...shrinkPart(state, part, room) }, cut), cut };
    Object.assign(state, emptyPart(state, part));
  }
  return { message: build(m, state, cut), cut };
}

interface Parts {
  key: Buffer | null;
  value: Buffer | null;
  headers: Headers;
}

function isFeedctlHeader(name: string): boolean {
  return name.startsWith('feedctl.');
}

function ownHeaders(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !isFeedctlHeader(k)));
}

function feedctlHeaders(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => isFeedctlHeader(k)));
}

function hasPart(s: Parts, part: LetterPart): boolean {
  if (part === 'headers') return Object.keys(s.headers).length > 0;
  return (s[part]?.length ?? 0) > 0;
}

/** An emptied key or value is a zero-length buffer, not null: null would turn the letter into a tombstone. */
function emptyPart(s: Parts, part: LetterPart): Partial<Parts> {
  if (part === 'headers') return { headers: {} };
  return { [part]: s[part] === null ? null : Buffer.alloc(0) };
}

function shrinkPart(s: Parts, part: LetterPart, room: number): Partial<Parts> {
  if (part !== 'headers') {
    const buf = s[part];
    return { [part]: buf === null ? null : cutUtf8Bytes(buf, room) };
  }
  const kept: Headers = {};
  let used = 0;
  for (const [k, v] of Object.entries(s.headers)) {
    const size = messageBytes({ key: null, value: null, headers: { [k]: v } });
    if (used + size > room) break;
    kept[k] = v;
    used += size;
  }
  return { headers: kept };
}

/** The letter of `parts`, with the original's feedctl headers and the headers describing the cut. */
function build(original: DeadLetterMessage, parts: Parts, cut: LetterPart[]): DeadLetterMessage {
  const marks: Headers = { [DLQ_HEADERS.truncated]: cut.join(',') };
  if (cut.includes('value')) marks[DLQ_HEADERS.originalValueBytes] = String(original.value?.length ?? 0);
  if (cut.includes('key')) marks[DLQ_HEADERS.originalKeyBytes] = String(original.key?.length ?? 0);
  return {
    key: parts.key,
    value: parts.value,
    headers: { ...parts.headers, ...feedctlHeaders(original.headers), ...marks },
  };
}
