/** UTF-8 encoding of short strings straight into a column buffer (pure). */

/**
 * Writes `v` as UTF-8 into `out` at `end` (room for 3 bytes per UTF-16 unit is the caller's) and returns the new
 * end. Same bytes as TextEncoder, lone surrogates included (U+FFFD), without allocating.
 */
export function writeUtf8(v: string, out: Uint8Array, end: number): number {
  for (let k = 0; k < v.length; k++) {
    let c = v.charCodeAt(k);
    if (c < 0x80) {
      out[end++] = c;
    } else if (c < 0x800) {
      out[end++] = 0xc0 | (c >> 6);
      out[end++] = 0x80 | (c & 0x3f);
    } else {
      const next = v.charCodeAt(k + 1); // NaN past the end
      if (c >= 0xd800 && c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        out[end++] = 0xf0 | (cp >> 18);
        out[end++] = 0x80 | ((cp >> 12) & 0x3f);
        out[end++] = 0x80 | ((cp >> 6) & 0x3f);
        out[end++] = 0x80 | (cp & 0x3f);
        k += 1;
        continue;
      }
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // a lone surrogate
      out[end++] = 0xe0 | (c >> 12);
      out[end++] = 0x80 | ((c >> 6) & 0x3f);
      out[end++] = 0x80 | (c & 0x3f);
    }
  }
  return end;
}
