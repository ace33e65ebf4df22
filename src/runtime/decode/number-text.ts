/**
 * The text of top-level number values of a JSON object, for the few fields that must stay exact (decimal, bigint,
 * json, or a number a float cannot hold): one scan over the message, instead of parsing it all again with the
 * lossless parser. The text must already have parsed as a JSON object (json.ts), so the scanner only finds
 * boundaries; anything it does not expect makes it give up (null), and the caller parses losslessly.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isNumberStart = (c: number): boolean => c === 0x2d || (c >= 0x30 && c <= 0x39);

function skipSpace(text: string, i: number): number {
  while (isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the string that starts with the quote at `i`. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Index just past the object or array that starts at `i` (strings inside skipped). */
function nestedEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) j = stringEnd(text, j) - 1;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return j + 1;
  }
  return text.length;
}

/** Index just past the value that starts at `i`. */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i);
  if (c === 0x7b || c === 0x5b) return nestedEnd(text, i);
  let j = i;
  for (; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d)) break;
  }
  return j;
}

/**
 * The number text of each `wanted` key whose (last, as JSON.parse keeps the last of duplicates) value is a number,
 * in a text that parsed as a JSON object; null when the scan meets what it does not expect.
 */
export function numberTexts(text: string, wanted: ReadonlySet<string>): Map<string, string> | null {
  const out = new Map<string, string>();
  let i = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (text.charCodeAt(i) !== 0x7b) return null;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === 0x7d) return out;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return null;
    const end = stringEnd(text, i);
    const raw = text.slice(i + 1, end - 1);
    const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
    i = skipSpace(text, end);
    if (text.charCodeAt(i) !== 0x3a) return null;
    i = skipSpace(text, i + 1);
    const valueAt = i;
    i = valueEnd(text, i);
    if (wanted.has(key)) {
      if (isNumberStart(text.charCodeAt(valueAt))) out.set(key, text.slice(valueAt, i));
      else out.delete(key);
    }
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === 0x7d) return out;
    if (c !== 0x2c) return null;
    i = skipSpace(text, i + 1);
  }
}
