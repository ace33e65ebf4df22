import { describe, expect, it } from 'vitest';
import {
  DLQ_HEADERS,
  deadLetterMessage,
  messageBytes,
  type DeadLetter,
  type DeadLetterMessage,
} from '../../../../src/runtime/dlq/headers.js';
import { cutUtf8Bytes, isMinimal, truncateLetter } from '../../../../src/runtime/dlq/truncate.js';

const ctx = { feed: 'orders', generation: 3, failedAt: new Date('2025-01-28T20:00:00.123Z') };

function letter(opts: {
  key?: Buffer | null;
  value?: Buffer | null;
  headers?: DeadLetter['message']['headers'];
}) {
  const d: DeadLetter = {
    message: {
      partition: 2,
      offset: 41,
      timestampMs: 1_700_000_000_000,
      key: opts.key === undefined ? Buffer.from('k1') : opts.key,
      value: opts.value === undefined ? Buffer.from('{"a":1}') : opts.value,
      headers: opts.headers ?? {},
    },
    topic: 'orders',
    failure: { stage: 'parse', errorClass: 'InvalidJson', message: 'value is not valid JSON' },
  };
  return deadLetterMessage(d, ctx);
}

/** The feedctl headers of `m` other than those describing a cut. */
function failureHeaders(m: DeadLetterMessage) {
  const marks: string[] = [
    DLQ_HEADERS.truncated,
    DLQ_HEADERS.originalValueBytes,
    DLQ_HEADERS.originalKeyBytes,
  ];
  return Object.fromEntries(
    Object.entries(m.headers).filter(([k]) => k.startsWith('feedctl.') && !marks.includes(k)),
  );
}

describe('cutUtf8Bytes', () => {
  it('keeps a buffer that fits as is', () => {
    const buf = Buffer.from('héllo');
    expect(cutUtf8Bytes(buf, 6)).toBe(buf);
  });

  it('never splits a multi-byte character', () => {
    const text = 'aé€😀'; // 1 + 2 + 3 + 4 bytes
    const buf = Buffer.from(text);
    const seen = Array.from({ length: buf.length }, (_, n) => cutUtf8Bytes(buf, n).toString('utf8'));
    expect(seen).toEqual(['', 'a', 'a', 'aé', 'aé', 'aé', 'aé€', 'aé€', 'aé€', 'aé€']);
  });

  it('cuts binary data that is not UTF-8 at the limit', () => {
    const buf = Buffer.alloc(20, 0x80);
    expect(cutUtf8Bytes(buf, 10)).toHaveLength(10);
  });
});

describe('truncateLetter', () => {
  it('leaves a letter that fits unchanged', () => {
    const m = letter({});
    expect(truncateLetter(m, messageBytes(m))).toEqual({ message: m, cut: [] });
  });

  it('cuts only the value when that is enough, and says so with the original size', () => {
    const m = letter({ value: Buffer.from('é'.repeat(50_000)), headers: { trace: 'abc' } });
    const { message, cut } = truncateLetter(m, 4096);
    expect(cut).toEqual(['value']);
    expect(messageBytes(message)).toBeLessThanOrEqual(4096);
    expect(messageBytes(message)).toBeGreaterThan(4096 - 8);
    expect(message.key).toEqual(m.key);
    expect(message.headers.trace).toBe('abc');
    expect(message.headers[DLQ_HEADERS.truncated]).toBe('value');
    expect(message.headers[DLQ_HEADERS.originalValueBytes]).toBe('100000');
    expect(message.headers[DLQ_HEADERS.originalKeyBytes]).toBeUndefined();
    const text = message.value?.toString('utf8') ?? '';
    expect(text).toMatch(/^é+$/);
    expect('é'.repeat(50_000).startsWith(text)).toBe(true);
    expect(failureHeaders(message)).toEqual(failureHeaders(m));
  });

  it('then cuts the key, then drops the original headers from the last, never feedctl headers', () => {
    const m = letter({
      key: Buffer.from('k'.repeat(3000)),
      value: Buffer.from('v'.repeat(3000)),
      headers: { first: 'x'.repeat(100), second: 'y'.repeat(3000) },
    });
    const feedctlOnly = messageBytes({ key: null, value: null, headers: failureHeaders(m) });

    const keyCut = truncateLetter(m, feedctlOnly + 3300);
    expect(keyCut.cut).toEqual(['value', 'key']);
    expect(keyCut.message.value).toEqual(Buffer.alloc(0));
    expect(keyCut.message.key?.length).toBeLessThan(3000);
    expect(keyCut.message.headers[DLQ_HEADERS.originalKeyBytes]).toBe('3000');
    expect(keyCut.message.headers.second).toBeDefined();

    const headersCut = truncateLetter(m, feedctlOnly + 300);
    expect(headersCut.cut).toEqual(['value', 'key', 'headers']);
    expect(headersCut.message.headers[DLQ_HEADERS.truncated]).toBe('value,key,headers');
    expect(headersCut.message.key).toEqual(Buffer.alloc(0));
    expect(headersCut.message.headers.first).toBe('x'.repeat(100));
    expect(headersCut.message.headers.second).toBeUndefined();
    expect(messageBytes(headersCut.message)).toBeLessThanOrEqual(feedctlOnly + 300);
    expect(failureHeaders(headersCut.message)).toEqual(failureHeaders(m));
  });

  it('does not list a part that was empty, and keeps a null value null (not a tombstone turned value)', () => {
    const m = letter({ value: null, key: Buffer.from('k'.repeat(10_000)) });
    const { message, cut } = truncateLetter(m, 4096);
    expect(cut).toEqual(['key']);
    expect(message.value).toBeNull();
    expect(message.headers[DLQ_HEADERS.originalValueBytes]).toBeUndefined();
    expect(message.headers[DLQ_HEADERS.originalKeyBytes]).toBe('10000');
  });

  it('gives the minimal letter when even feedctl headers do not fit', () => {
    const m = letter({ headers: { trace: 'abc' } });
    const { message, cut } = truncateLetter(m, 100);
    expect(cut).toEqual(['value', 'key', 'headers']);
    expect(isMinimal(message)).toBe(true);
    expect(isMinimal(m)).toBe(false);
    expect(failureHeaders(message)).toEqual(failureHeaders(m));
    expect(messageBytes(message)).toBeGreaterThan(100);
  });
});
