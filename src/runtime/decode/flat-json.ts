/**
 * A byte-level reader of the common shape of a message (pure): one flat JSON object whose keys and string values
 * hold no escape, read straight from the message's bytes, without building a string or an object. It only finds
 * where each field's value lies and what JSON token it is; fast-row.ts converts them. Anything else — a byte order
 * mark, an escape, a nested value in a field, a key given twice, a control character, invalid UTF-8, any syntax
 * error — makes it give up (false), and the message goes through the full decoder (decoder.ts), which accepts or
 * refuses it with its diagnostic. So it never has to be right about what it does not handle, only about what it
 * accepts: exactly JSON (RFC 8259) for the shapes it reads.
 */
import { isUtf8 } from 'node:buffer';

/** What a field's value is: absent (no such key), or the JSON token found. */
export const TOKEN = { absent: 0, string: 1, number: 2, true: 3, false: 4, null: 5 } as const;

/**
 * Where each field's value lies in the bytes: `kinds[i]` (a {@link TOKEN}), and for strings and numbers
 * `[starts[i], ends[i])` (a string without its quotes). Reused from message to message.
 */
export interface FieldTokens {
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LITERALS: readonly [number, Uint8Array][] = [
  [TOKEN.true, Buffer.from('true')],
  [TOKEN.false, Buffer.from('false')],
  [TOKEN.null, Buffer.from('null')],
];

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/** One reader per feed: `properties` are the fields' JSON property names, in field order. */
export class FlatJsonReader {
  private readonly names: Uint8Array[];
  readonly tokens: FieldTokens;
  private bytes: Uint8Array = new Uint8Array(0);
  private at = 0;
  private end = 0;
  private nonAscii = false;

  constructor(properties: readonly string[]) {
    this.names = properties.map((p) => Buffer.from(p, 'utf8'));
    const n = properties.length;
    this.tokens = { kinds: new Uint8Array(n), starts: new Int32Array(n), ends: new Int32Array(n) };
  }

  /** Reads the object in `bytes[start, end)` into {@link tokens}; false when it is not of the shape read here. */
  read(bytes: Uint8Array, start: number, end: number): boolean {
    this.bytes = bytes;
    this.at = start;
    this.end = end;
    this.nonAscii = false;
    this.tokens.kinds.fill(TOKEN.absent);
    if (!this.members()) return false;
    this.skipSpace();
    if (this.at !== end) return false;
    return !this.nonAscii || isUtf8(bytes.subarray(start, end));
  }

  /** `{`, then `"key": value` pairs separated by commas, then `}`. */
  private members(): boolean {
    this.skipSpace();
    if (this.next() !== OPEN) return false;
    this.skipSpace();
    if (this.peek() === CLOSE) return (this.at++, true);
    let expected = 0;
    for (;;) {
      if (this.next() !== QUOTE) return false;
      const keyStart = this.at;
      if (!this.string()) return false;
      const field = this.fieldOf(keyStart, this.at - 1, expected);
      this.skipSpace();
      if (this.next() !== COLON) return false;
      this.skipSpace();
      if (field === -2 || !this.value(field)) return false;
      if (field >= 0) expected = field + 1;
      this.skipSpace();
      const c = this.next();
      if (c === CLOSE) return true;
      if (c !== COMMA) return false;
      this.skipSpace();
    }
  }

  /** The field named by the key in `[from, to)`: its index, -1 for a key of no field, -2 for a field seen already. */
  private fieldOf(from: number, to: number, expected: number): number {
    const n = this.names.length;
    for (let k = 0; k < n; k++) {
      const i = (expected + k) % n;
      if (!this.bytesAre(this.names[i] as Uint8Array, from, to)) continue;
      return this.tokens.kinds[i] === TOKEN.absent ? i : -2;
    }
    return -1;
  }

  /** Whether `bytes[from, to)` are exactly `name`'s. */
  private bytesAre(name: Uint8Array, from: number, to: number): boolean {
    if (to - from !== name.length) return false;
    for (let k = 0; k < name.length; k++) if (this.bytes[from + k] !== name[k]) return false;
    return true;
  }

  /** A value; kept in the tokens when it is a field's (`field` ≥ 0). Objects and arrays are not read here. */
  private value(field: number): boolean {
    const start = this.at;
    const c = this.peek();
    let kind: number;
    if (c === QUOTE) {
      this.at++;
      if (!this.string()) return false;
      kind = TOKEN.string;
    } else if (c === MINUS || isDigit(c)) {
      if (!this.number()) return false;
      kind = TOKEN.number;
    } else {
      kind = this.literal();
      if (kind === TOKEN.absent) return false;
    }
    if (field < 0) return true;
    const quoted = kind === TOKEN.string ? 1 : 0;
    this.tokens.kinds[field] = kind;
    this.tokens.starts[field] = start + quoted;
    this.tokens.ends[field] = this.at - quoted;
    return true;
  }

  /** The rest of a string after its opening quote, up to and past the closing one; no escapes, no controls. */
  private string(): boolean {
    const { bytes, end } = this;
    for (let i = this.at; i < end; i++) {
      const c = bytes[i] as number;
      if (c === QUOTE) {
        this.at = i + 1;
        return true;
      }
      if (c === BACKSLASH || c < 0x20) return false;
      if (c >= 0x80) this.nonAscii = true;
    }
    return false;
  }

  /** A JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. */
  private number(): boolean {
    if (this.peek() === MINUS) this.at++;
    if (this.peek() === ZERO) this.at++;
    else if (!this.digits()) return false;
    if (this.peek() === DOT) {
      this.at++;
      if (!this.digits()) return false;
    }
    const e = this.peek();
    if (e === 0x65 || e === 0x45) {
      this.at++;
      const sign = this.peek();
      if (sign === 0x2b || sign === MINUS) this.at++;
      if (!this.digits()) return false;
    }
    return true;
  }

  /** One or more digits. */
  private digits(): boolean {
    const from = this.at;
    while (this.at < this.end && isDigit(this.bytes[this.at] as number)) this.at++;
    return this.at > from;
  }

  private literal(): number {
    for (const [kind, text] of LITERALS) {
      if (this.at + text.length > this.end) continue;
      if (!this.bytesAre(text, this.at, this.at + text.length)) continue;
      this.at += text.length;
      return kind;
    }
    return TOKEN.absent;
  }

  private skipSpace(): void {
    while (this.at < this.end && isSpace(this.bytes[this.at] as number)) this.at++;
  }

  private peek(): number {
    return this.at < this.end ? (this.bytes[this.at] as number) : -1;
  }

  private next(): number {
    return this.at < this.end ? (this.bytes[this.at++] as number) : -1;
  }
}
