/**
 * Column buffers → Arrow data (pure, in memory). Each column owns growable typed buffers — numbers in their typed
 * array, 64-bit values as word pairs, strings packed as UTF-8 bytes plus Int32 offsets, booleans and validity as
 * bitmaps — appended value by value and turned into Arrow `Data` with `makeData` at the end, never row by row
 * through Arrow's generic builders. Values follow the representation table of src/runtime/record.ts.
 */
import { makeData, type Data } from 'apache-arrow';
import { FeedctlError } from '../../errors.js';
import type { FastRow } from '../decode/fast-row.js';
import type { FieldValue } from '../record.js';
import { unscaledDecimal, writeDecimal128, writeInt64Words } from './decimal.js';
import { arrowType, type LakeColumn } from './schema.js';
import { writeUtf8 } from './utf8.js';

/**
 * Accumulates one column. Invariant: after `n` appends the builder holds exactly `n` values, in order; a builder
 * is single-use: `finish()` hands its buffers to Arrow.
 */
export interface ColumnBuilder {
  /** Appends one value in the record representation of the column's field; null only for nullable columns. */
  append(value: FieldValue): void;
  /** Appends field `i` of a row read by the fast path from `bytes` (decode/fast-row.ts). */
  appendFast(row: FastRow, i: number, bytes: Uint8Array): void;
  /** Approximate in-memory size of the values so far (data and offsets), for flush thresholds. */
  readonly bytes: number;
  /** The Arrow data of every appended value. */
  finish(): Data;
}

const INITIAL_ROWS = 256;
type Growable = Uint8Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** `a` itself when it holds `need` elements, else a copy at least twice as long. */
function ensure<A extends Growable>(a: A, need: number): A {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => A)(Math.max(need, 2 * a.length));
  b.set(a);
  return b;
}

/** Validity and the null rule, shared by all layouts; subclasses store the non-null values. */
abstract class Builder implements ColumnBuilder {
  protected length = 0;
  private validity: Uint8Array | null = null;
  private nullCount = 0;

  constructor(protected readonly column: LakeColumn) {}

  abstract readonly bytes: number;
  protected abstract put(index: number, value: FieldValue): void;
  protected abstract putNull(index: number): void;
  /** Stores field `i` of a fast-path row (not null) at `index`. */
  protected abstract putFast(index: number, row: FastRow, i: number, bytes: Uint8Array): void;
  protected abstract buffers(): Partial<Record<'data' | 'valueOffsets', ArrayBufferView>>;

  appendFast(row: FastRow, i: number, bytes: Uint8Array): void {
    if (row.nulls[i] === 1) return this.append(null);
    const index = this.length;
    this.markValid(index);
    this.putFast(index, row, i, bytes);
    this.length = index + 1;
  }

  append(value: FieldValue): void {
    const i = this.length;
    if (value === null) {
      if (!this.column.nullable) throw this.refuse('null in a non-nullable column');
      this.validity ??= new Uint8Array(Math.max(INITIAL_ROWS, i) >> 2).fill(0xff);
      if (i >> 3 >= this.validity.length) this.validity = ensure(this.validity, (i >> 3) + 1);
      this.validity[i >> 3]! &= ~(1 << (i & 7));
      this.nullCount += 1;
      this.putNull(i);
    } else {
      this.markValid(i);
      this.put(i, value);
    }
    this.length = i + 1;
  }

  private markValid(i: number): void {
    if (!this.validity) return;
    if (i >> 3 >= this.validity.length) this.validity = ensure(this.validity, (i >> 3) + 1);
    this.validity[i >> 3]! |= 1 << (i & 7);
  }

  finish(): Data {
    return makeData({
      type: arrowType(this.column.type),
      length: this.length,
      nullCount: this.nullCount,
      nullBitmap: this.nullCount > 0 ? this.validity?.subarray(0, (this.length + 7) >> 3) : undefined,
      ...this.buffers(),
    } as never);
  }

  protected refuse(why: string): FeedctlError {
    return new FeedctlError('INTERNAL', why, {
      subsystem: 'lake',
      action: 'encode column',
      id: this.column.name,
    });
  }
}

/** int (Int32), date (Int32 days), float (Float32), double (Float64): one typed array element per value. */
class NumberBuilder extends Builder {
  constructor(
    column: LakeColumn,
    private data: Int32Array | Float32Array | Float64Array,
  ) {
    super(column);
  }
  get bytes(): number {
    return this.length * this.data.BYTES_PER_ELEMENT;
  }
  protected put(i: number, v: FieldValue): void {
    if (i >= this.data.length) this.data = ensure(this.data, i + 1);
    this.data[i] = v as number;
  }
  protected putNull(i: number): void {
    this.put(i, 0);
  }
  protected putFast(index: number, row: FastRow, i: number): void {
    this.put(index, row.nums[i] as number);
  }
  protected buffers() {
    return { data: this.data.subarray(0, this.length) };
  }
}

/** bigint (Int64) and timestamps (ms): two 32-bit words per value, bigints through a BigInt64 view. */
class Int64Builder extends Builder {
  private words = new Uint32Array(2 * INITIAL_ROWS);
  private big = new BigInt64Array(this.words.buffer);

  get bytes(): number {
    return this.length * 8;
  }
  protected put(i: number, v: FieldValue): void {
    if (2 * i + 2 > this.words.length) {
      this.words = ensure(this.words, 2 * i + 2);
      this.big = new BigInt64Array(this.words.buffer);
    }
    if (typeof v === 'bigint') this.big[i] = v;
    else writeInt64Words(this.words, 2 * i, v as number);
  }
  protected putNull(i: number): void {
    this.put(i, 0);
  }
  protected putFast(index: number, row: FastRow, i: number): void {
    this.put(index, row.wide[i] === 1 ? (row.bigs[i] as bigint) : (row.nums[i] as number));
  }
  protected buffers() {
    return { data: this.big.subarray(0, this.length) };
  }
}

/** decimal(p ≤ 38): four little-endian 32-bit words of the unscaled value. */
class Decimal128Builder extends Builder {
  private words = new Uint32Array(4 * INITIAL_ROWS);
  private big = new BigInt64Array(this.words.buffer);

  constructor(
    column: LakeColumn,
    private readonly precision: number,
    private readonly scale: number,
  ) {
    super(column);
  }
  get bytes(): number {
    return this.length * 16;
  }
  protected put(i: number, v: FieldValue): void {
    if (typeof v !== 'string') throw this.refuse('decimal value must be a string');
    this.reserve(i);
    writeDecimal128(this.words, this.big, i, unscaledDecimal(v, this.precision, this.scale));
  }
  protected putNull(i: number): void {
    this.reserve(i);
    this.words.fill(0, 4 * i, 4 * i + 4);
  }
  protected putFast(index: number, row: FastRow, i: number): void {
    this.reserve(index);
    const unscaled = row.wide[i] === 1 ? (row.bigs[i] as bigint) : (row.nums[i] as number);
    writeDecimal128(this.words, this.big, index, unscaled);
  }
  protected buffers() {
    return { data: this.words.subarray(0, 4 * this.length) };
  }
  private reserve(i: number): void {
    if (4 * i + 4 <= this.words.length) return;
    this.words = ensure(this.words, 4 * i + 4);
    this.big = new BigInt64Array(this.words.buffer);
  }
}

const utf8 = new TextEncoder();
/** Strings up to this length are encoded by {@link writeUtf8}: faster than a native call for short ones. */
const SHORT_STRING = 64;

/** string, json and wide decimals: packed UTF-8 bytes and Int32 end offsets. */
class Utf8Builder extends Builder {
  private chars = new Uint8Array(16 * INITIAL_ROWS);
  private offsets = new Int32Array(INITIAL_ROWS + 1);
  private end = 0;

  get bytes(): number {
    return this.end + 4 * this.length;
  }
  protected put(i: number, v: FieldValue): void {
    if (typeof v !== 'string') throw this.refuse('value must be a string');
    const need = this.end + 3 * v.length; // UTF-8 needs at most 3 bytes per UTF-16 unit
    if (need > this.chars.length) this.chars = ensure(this.chars, need);
    this.end =
      v.length <= SHORT_STRING
        ? writeUtf8(v, this.chars, this.end)
        : this.end + utf8.encodeInto(v, this.chars.subarray(this.end)).written;
    this.putNull(i);
  }
  protected putNull(i: number): void {
    if (i + 2 > this.offsets.length) this.offsets = ensure(this.offsets, i + 2);
    this.offsets[i + 1] = this.end;
  }
  /** The string's UTF-8 bytes copied as they are: the fast path read them without escapes. */
  protected putFast(index: number, row: FastRow, i: number, bytes: Uint8Array): void {
    const start = row.tokens.starts[i] as number;
    const length = (row.tokens.ends[i] as number) - start;
    if (this.end + length > this.chars.length) this.chars = ensure(this.chars, this.end + length);
    if (length <= SHORT_STRING) for (let k = 0; k < length; k++) this.chars[this.end + k] = bytes[start + k]!;
    else this.chars.set(bytes.subarray(start, start + length), this.end);
    this.end += length;
    this.putNull(index);
  }

  protected buffers() {
    return {
      data: this.chars.subarray(0, this.end),
      valueOffsets: this.offsets.subarray(0, this.length + 1),
    };
  }
}

/** boolean: one bit per value. */
class BoolBuilder extends Builder {
  private bits = new Uint8Array(INITIAL_ROWS >> 3);

  get bytes(): number {
    return (this.length + 7) >> 3;
  }
  protected put(i: number, v: FieldValue): void {
    if (i >> 3 >= this.bits.length) this.bits = ensure(this.bits, (i >> 3) + 1);
    if (v === true) this.bits[i >> 3]! |= 1 << (i & 7);
  }
  protected putNull(i: number): void {
    this.put(i, false);
  }
  protected putFast(index: number, row: FastRow, i: number): void {
    this.put(index, row.nums[i] === 1);
  }
  protected buffers() {
    return { data: this.bits.subarray(0, (this.length + 7) >> 3) };
  }
}

/** A fresh builder for a column. */
export function columnBuilder(column: LakeColumn): ColumnBuilder {
  switch (column.type.kind) {
    case 'utf8':
      return new Utf8Builder(column);
    case 'int32':
    case 'date32':
      return new NumberBuilder(column, new Int32Array(INITIAL_ROWS));
    case 'float32':
      return new NumberBuilder(column, new Float32Array(INITIAL_ROWS));
    case 'float64':
      return new NumberBuilder(column, new Float64Array(INITIAL_ROWS));
    case 'int64':
    case 'timestampMs':
      return new Int64Builder(column);
    case 'decimal128':
      return new Decimal128Builder(column, column.type.precision, column.type.scale);
    case 'bool':
      return new BoolBuilder(column);
  }
}
