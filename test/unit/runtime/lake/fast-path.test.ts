/**
 * The lanes' fast path (decode/flat-json.ts, decode/fast-row.ts, lake/packed-append.ts) against the full decoder:
 * the same messages appended both ways must give the same lake rows, in the same day groups, and the same
 * dead-letter failures — for hand-picked edge values of every kind, odd shapes, and thousands of seeded random
 * mutations. It also checks that the fast path does read the common shapes, so the comparison is not vacuous.
 */
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../../../../src/feeds/types.js';
import type { KeyBatch } from '../../../../src/runtime/lake/batch.js';
import { createDecoder, isFailure } from '../../../../src/runtime/decode/decoder.js';
import { fastRowReader } from '../../../../src/runtime/decode/fast-row.js';
import { groupLayout, KeyGroups } from '../../../../src/runtime/lake/key-groups.js';
import { packBatch, unpackMessage, type PackedBatch } from '../../../../src/runtime/lake/lane-protocol.js';
import { PackedDecoder } from '../../../../src/runtime/lake/packed-append.js';
import { dayPartitioner } from '../../../../src/runtime/lake/partitioner.js';
import type { FetchedMessage } from '../../../../src/runtime/record.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';
import { mulberry32 } from '../../../helpers/seed.js';

const FIELDS: FieldSpec[] = [
  field('s', { kind: 'string', maxLength: 5 }),
  field('i', { kind: 'int' }),
  field('b', { kind: 'bigint' }),
  field('f', { kind: 'float' }),
  field('d', { kind: 'double' }),
  field('m', { kind: 'decimal', precision: 6, scale: 2 }),
  field('w', { kind: 'decimal', precision: 38, scale: 10 }),
  field('dt', { kind: 'date' }),
  field('ts', { kind: 'timestamp' }),
  field('ok', { kind: 'boolean' }),
  field('n', { kind: 'string', maxLength: null }, true),
  field('ni', { kind: 'int' }, true),
];
const spec = feedSpec({ fields: FIELDS, key: ['s'], eventTimeField: 'ts', table: null });

/**
 * Candidate JSON texts per field: the first {@link FAST} of each the fast path reads (index 0 is the base message's),
 * then values it leaves to the full decoder — valid or not.
 */
// prettier-ignore
const VALUES: Record<string, string[]> = {
  s: ['"abc"', '""', '"abcde"', '"héllo"', '"😀😀😀😀😀"', '"abcdef"', '"héllo!"', '"😀😀😀😀😀😀"', '"a\\"b"', '"\\u00e9"', '"\\ud800"', '1', 'true', '"a\tb"'],
  i: ['7', '0', '-0', '2147483647', '-2147483648', '2147483648', '-2147483649', '1.0', '1e3', '1.5', '"7"', '01', '-', '99999999999999999999'],
  b: ['42', '0', '-0', '123456789012345', '"42"', '"-42"', '"0042"', '"-0"', '1234567890123456', '9007199254740993', '9223372036854775807', '"-9223372036854775808"', '"00000000000000000000042"', '9223372036854775808', '"-9223372036854775809"', '12345678901234567890', '"1.5"', '1.0', '1e2', '"abc"', '""', '"-"', '"+1"'],
  f: ['1.5', '0', '-0', '0.1', '123456.789012', '1234567890.12345', '0.30000000000000004', '3.4028234663852886e38', '340282346638528860000000000000000000000', '1e-45', '-3.4028234663852886e38', '3.5e38', '-3.4028236e38', '"1.5"', '1e400'],
  d: ['0.1', '-0.0', '-12.5', '0.000000000000000000001', '0.0000000000000000000001', '0.00000000000000000000001', '123456789012345.6', '1.7976931348623157e308', '12345678901234567', '5e-324', '2.5e-7', '1E3', '1e400', '-1e400', '1.', '.5', '"0.1"'],
  w: ['"12345678901234567890.123456789"', '"0.5"', '"123456789.5"', '"-0.00"', '"-1234567890123456789012345678.9"', '-98765432109876543.21', '"12345678901234567890123456789"', '"0.12345678901"', '1e5'],
  m: ['"12.34"', '"1.5"', '"1.50"', '"-0"', '"-0.00"', '"0012.5"', '"9999.99"', '12.34', '-0.01', '0', '"1.500"', '"10000"', '"+1"', '"1."', '".5"', '"1e2"', '12.345', '"abc"', '""', '1.5e1', '"-"'],
  dt: ['"2024-02-29"', '"0001-01-01"', '"9999-12-31"', '"2023-02-29"', '"0000-01-01"', '"2024-1-01"', '"2024-01-01T00:00:00Z"', '20240101', '"2024-01-01 "'],
  ts: ['"2024-01-01T00:00:00Z"', '"2024-01-01T23:59:59.999999+02:00"', '"2024-01-01 00:00"', '"2024-01-01t12:00:00z"', '1700000000000', '-1', '0', '253402300799999', '"2024-01-01T24:00:00Z"', '1.5', '1e12', '"nope"', '253402300800000', '-62135596800001'],
  ok: ['true', 'false', '0', '"true"'],
  n: ['"x"', 'null', '"é"', '3'],
  ni: ['1', 'null', '"1"'],
};
// prettier-ignore
const FAST: Record<string, number> = { s: 5, i: 5, b: 13, w: 6, f: 11, d: 12, m: 10, dt: 3, ts: 8, ok: 2, n: 3, ni: 2 };
const NAMES = Object.keys(VALUES);
const fastValues = (n: string): string[] => VALUES[n]!.slice(0, FAST[n]);

function objectText(pick: (name: string) => string | undefined, sep = ','): string {
  const members = NAMES.flatMap((n) => {
    const v = pick(n);
    return v === undefined ? [] : [`"${n}":${v}`];
  });
  return `{${members.join(sep)}}`;
}

const BASE = objectText((n) => VALUES[n]![0]);

/** Messages of unusual shape around the base one. */
const SHAPES: (string | Buffer | null)[] = [
  BASE,
  objectText((n) => VALUES[n]![0], ' ,\n\t'),
  ` \r\n${BASE} `,
  Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BASE)]),
  `${BASE}x`,
  `${BASE},`,
  BASE.replace('{', '{"zz":1,'),
  BASE.replace('{', '{"zz":{"a":[1,{"b":null}]},'),
  BASE.replace('{', '{"z\\u0073":"q",'),
  BASE.replace('"s":', '"\\u0073":'),
  BASE.replace('{', '{"s":"first",'),
  BASE.replace('{', '{"__proto__":1,'),
  BASE.replace('{', '{"constructor":"c",'),
  objectText((n) => (n === 'n' || n === 'ni' ? undefined : VALUES[n]![0])),
  objectText((n) => VALUES[n]![0]).replace('"abc"', '"a\u0001c"'),
  Buffer.from(BASE.replace('"abc"', '"a\u00ffc"'), 'latin1'),
  Buffer.concat([Buffer.from('{"s":"a'), Buffer.from([0xc0, 0x80]), Buffer.from(BASE.slice(10))]),
  [...NAMES].reverse().reduce((acc, n, k) => `${acc}${k ? ',' : ''}"${n}":${VALUES[n]![0]}`, '{') + '}',
  '{}',
  '[1]',
  '"text"',
  'null',
  '',
  null,
  '{"s":"abc"',
  '{"s" "abc"}',
  '{"s":tru}',
];

/** Every candidate value of every field, in the base message: those the fast path reads, then the others. */
const change = (name: string, v: string): string => objectText((n) => (n === name ? v : VALUES[n]![0]));
const FAST_CHANGES: string[] = NAMES.flatMap((name) => fastValues(name).map((v) => change(name, v)));
const OTHER_CHANGES: string[] = NAMES.flatMap((name) =>
  VALUES[name]!.slice(FAST[name]).map((v) => change(name, v)),
);

/** Random messages: random candidate values, half of them then mutated at one byte. */
function fuzzed(count: number, seed: number): Buffer[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: Buffer[] = [];
  for (let k = 0; k < count; k++) {
    const bytes = Buffer.from(objectText((n) => (r() < 0.97 ? pick(fastValues(n)) : pick(VALUES[n]!))));
    if (r() < 0.5) {
      const at = Math.floor(r() * bytes.length);
      const op = r();
      const byte = pick([0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x20, 0x30, 0x2e, 0x2d, 0x65, 0x80, 0xff, 0x00]);
      if (op < 0.4) bytes[at] = byte;
      else if (op < 0.7) {
        out.push(Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]));
        continue;
      } else {
        out.push(Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]));
        continue;
      }
    }
    out.push(bytes);
  }
  return out;
}

function batchOf(values: (string | Buffer | null)[]): PackedBatch {
  const fetched: FetchedMessage[] = values.map((v, k) => ({
    offset: String(100 + k),
    timestamp: String(1_700_000_000_000 + k * 3_600_000),
    key: null,
    value: typeof v === 'string' ? Buffer.from(v) : v,
    headers: {},
  }));
  return packBatch(2, fetched, 0)!;
}

const layout = groupLayout(spec, dayPartitioner(spec.name));

/** The lake rows (per day group) and failures of appending `values`, by the full decoder or by PackedDecoder. */
function appended(values: (string | Buffer | null)[], how: 'full' | 'packed') {
  const groups = new KeyGroups(layout);
  let invalid: { offset: number; stage: string; message: string }[];
  if (how === 'packed') {
    invalid = new PackedDecoder(spec, 1, layout)
      .append(groups, batchOf(values), 5)
      .map((x) => ({ offset: x.message.offset, stage: x.failure.stage, message: x.failure.message }));
  } else {
    const batch = batchOf(values);
    const decoder = createDecoder(spec, 1);
    invalid = [];
    for (let k = 0; k < batch.count; k++) {
      const d = decoder.decode(unpackMessage(batch, k));
      if (isFailure(d)) invalid.push({ offset: batch.offsets[k]!, stage: d.stage, message: d.message });
      else groups.append(d, 5);
    }
  }
  const tables = [...(groups as unknown as { groups: Map<number, KeyBatch> }).groups].map(
    ([key, b]) => [key, rowsOf(b.toTable(layout.schema))] as const,
  );
  return { tables, invalid, rows: groups.rows };
}

/** Rows as comparable JSON: bigints as text, decimal words as numbers, -0 kept apart from 0. */
function rowsOf(table: { toArray(): { toJSON(): object }[] }): string[] {
  return table.toArray().map((r) =>
    JSON.stringify(r.toJSON(), (_k, v: unknown) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (typeof v === 'number' && Object.is(v, -0)) return '-0';
      if (ArrayBuffer.isView(v)) return Array.from(v as Uint32Array);
      return v;
    }),
  );
}

function expectSame(values: (string | Buffer | null)[]): void {
  const full = appended(values, 'full');
  expect(appended(values, 'packed')).toEqual(full);
}

/** How many of `values` the fast path reads. */
function readFast(values: (string | Buffer | null)[]): number {
  const read = fastRowReader(spec)!;
  return values.filter((v) => {
    if (v === null) return false;
    const b = typeof v === 'string' ? Buffer.from(v) : v;
    return read(b, 0, b.length, (s, e) => b.toString('latin1', s, e), 0) !== null;
  }).length;
}

describe('lake lanes: fast path', () => {
  it('reads the common shape, and gives up on escapes, nesting in a field, repeated keys and bad bytes', () => {
    expect(readFast([BASE, SHAPES[1]!, SHAPES[2]!, SHAPES[6]!, SHAPES[12]!])).toBe(5);
    expect(
      readFast([SHAPES[3]!, SHAPES[7]!, SHAPES[8]!, SHAPES[9]!, SHAPES[10]!, SHAPES[15]!, SHAPES[16]!]),
    ).toBe(0);
  });

  it('gives the full decoder’s rows and failures for every edge value of every kind', () => {
    expect(readFast(FAST_CHANGES)).toBe(FAST_CHANGES.length);
    expect(readFast(OTHER_CHANGES)).toBe(0);
    expectSame([...FAST_CHANGES, ...OTHER_CHANGES]);
  });

  it('gives the full decoder’s rows and failures for odd shapes', () => {
    expectSame(SHAPES);
  });

  it('gives the full decoder’s rows and failures for 5,000 random messages, mutated or not', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const values = fuzzed(1_000, seed);
      const fast = readFast(values);
      expect(fast).toBeGreaterThan(100);
      expect(fast).toBeLessThan(values.length);
      expectSame(values);
    }
  });

  it('has no fast path for table feeds, json fields or decimals wider than 38 digits', () => {
    expect(fastRowReader(feedSpec({ fields: FIELDS, key: ['s'], eventTimeField: 'ts' }))).not.toBeNull();
    expect(fastRowReader({ ...spec, type: 'table' })).toBeNull();
    expect(
      fastRowReader(
        feedSpec({
          fields: [...FIELDS, field('j', { kind: 'json' }, true)],
          key: ['s'],
          eventTimeField: 'ts',
        }),
      ),
    ).toBeNull();
    const wide = field('w', { kind: 'decimal', precision: 39, scale: 2 }, true);
    expect(
      fastRowReader(feedSpec({ fields: [...FIELDS, wide], key: ['s'], eventTimeField: 'ts' })),
    ).toBeNull();
  });
});
