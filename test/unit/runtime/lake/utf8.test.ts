import { describe, expect, it } from 'vitest';
import { writeUtf8 } from '../../../../src/runtime/lake/utf8.js';

const encoder = new TextEncoder();

function encoded(v: string): Uint8Array {
  const out = new Uint8Array(3 * v.length + 2).fill(0xaa);
  const end = writeUtf8(v, out, 2);
  return out.subarray(2, end);
}

describe('writeUtf8', () => {
  it.each([
    '',
    'plain ascii',
    'héllo wörld',
    '日本語テキスト',
    '🚀 and 👩‍👩‍👧',
    'mixed ß€𝄞 end',
    '\u0000\u007f\u0080\u07ff\u0800\uffff',
    'lone high \ud800 here',
    'lone low \udc00 here',
    'high at the end \udbff',
    'reversed pair \udc00\ud800',
  ])('writes the same bytes as TextEncoder for %j', (v) => {
    expect(encoded(v)).toEqual(encoder.encode(v));
  });

  it('agrees with TextEncoder on random UTF-16 code units', () => {
    let seed = 42;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 2000; i++) {
      const units = Array.from(
        { length: random(20) },
        () => [random(0x80), random(0x800), 0xd800 + random(0x800), random(0x10000)][random(4)]!,
      );
      const v = String.fromCharCode(...units);
      expect(encoded(v)).toEqual(encoder.encode(v));
    }
  });
});
