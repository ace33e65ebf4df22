/**
 * feedctl's record batch decoder (clients/kafka-records.ts) against kafkajs' own: the fetched messages section of a
 * fetch response, encoded by kafkajs' own RecordBatch encoder (and altered by hand where the encoder cannot write a
 * case), must decode to deeply equal records through kafkajs' `decodeMessages` with either decoder — offsets and
 * timestamps as the same strings, keys, values and headers as the same bytes, the same batch context — or fail
 * with the same kafkajs error; and what feedctl's records copy without Buffers (lane-protocol.ts's packing) must
 * be those same bytes and timestamps.
 */
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import type { FetchedRecord } from '../../../src/clients/fetched-record.js';
import { useRecordDecoder } from '../../../src/clients/kafka.js';
import { packBatch } from '../../../src/runtime/lake/lane-protocol.js';
import type { FetchedMessage } from '../../../src/runtime/record.js';
import { mulberry32 } from '../../helpers/seed.js';

const require = createRequire(import.meta.url);
const kafkajs = (file: string) => require(`kafkajs/src/${file}`);
const { RecordBatch } = kafkajs('protocol/recordBatch/v0/index.js');
const Record = kafkajs('protocol/recordBatch/record/v0/index.js');
const Encoder = kafkajs('protocol/encoder.js');
const Decoder = kafkajs('protocol/decoder.js');
const Long = kafkajs('utils/long.js');

type Headers = Record<string, Buffer | string | (Buffer | string)[]>;
interface TestRecord {
  offsetDelta: number;
  timestampDelta?: number | bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Headers;
}
interface BatchOptions {
  firstOffset?: bigint;
  firstTimestamp?: number;
  compression?: number;
  transactional?: boolean;
  /** Attribute bits set by hand after encoding (timestamp type 0x08, control 0x20). */
  attributes?: number;
}

/** One record batch as the broker sends it: first offset, length, then the batch. */
async function batch(records: TestRecord[], o: BatchOptions = {}): Promise<Buffer> {
  const encoded = await RecordBatch({
    compression: o.compression ?? 0,
    firstOffset: Long.fromValue(o.firstOffset ?? 0n),
    firstTimestamp: o.firstTimestamp ?? 1_700_000_000_000,
    maxTimestamp: (o.firstTimestamp ?? 1_700_000_000_000) + 999,
    lastOffsetDelta: records.length - 1,
    transactional: o.transactional ?? false,
    producerId: Long.fromValue(o.transactional ? 4242 : -1),
    records: records.map((r) =>
      Record({ ...r, timestampDelta: Long.fromValue(BigInt(r.timestampDelta ?? 0)) }),
    ),
  });
  const out = Buffer.from(encoded.buffer);
  if (o.attributes) out.writeInt16BE(out.readInt16BE(21) | o.attributes, 21);
  return out;
}

/** The messages section of a fetch response: its size, then the batches (optionally cut short). */
function section(batches: Buffer[], cut = 0): Buffer {
  const body = Buffer.concat(batches);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length - cut);
  return Buffer.concat([size, body.subarray(0, body.length - cut)]);
}

type DecodeMessages = (decoder: unknown) => Promise<unknown[]>;
function decodeMessagesOf(which: 'feedctl' | 'kafkajs'): DecodeMessages {
  useRecordDecoder(which);
  return kafkajs('protocol/requests/fetch/v4/decodeMessages.js');
}
const stock = decodeMessagesOf('kafkajs');
const ours = decodeMessagesOf('feedctl');
afterAll(() => useRecordDecoder('feedctl'));

type Fetched = Record<(typeof FIELDS)[number], unknown>;
/** kafkajs' record fields, in its order (ours has some as getters: compared as read). */
const FIELDS = [
  'magicByte',
  'attributes',
  'timestamp',
  'offset',
  'key',
  'value',
  'headers',
  'isControlRecord',
  'batchContext',
] as const;
const fields = (r: Fetched) => Object.fromEntries(FIELDS.map((f) => [f, r[f]]));

/** Ours also copies what it holds without Buffers: the copy must match what the fields give. */
function expectCopiesMatch(r: FetchedRecord) {
  expect(r.timestampMs).toBe(Number(r.timestamp));
  expect(r.hasHeaders).toBe(Object.keys(r.headers).length > 0);
  for (const part of ['key', 'value'] as const) {
    const bytes = r[part];
    expect(r.byteLength(part)).toBe(bytes === null ? -1 : bytes.length);
    if (bytes === null) continue;
    const copy = Buffer.alloc(bytes.length + 2);
    r.copyBytes(part, copy, 1);
    expect(copy.subarray(1, -1)).toEqual(bytes);
  }
}

/** Both decoders' outcome for the same bytes: records, or the error's name and message. */
async function outcomes(bytes: Buffer) {
  const run = (fn: DecodeMessages) =>
    fn(new Decoder(bytes)).then(
      (records) => ({ records: (records as Fetched[]).map(fields) }),
      (err: Error) => ({ error: `${err.name}: ${err.message}` }),
    );
  const records = await ours(new Decoder(bytes)).catch(() => []);
  for (const r of records as FetchedRecord[]) expectCopiesMatch(r);
  return { stock: await run(stock), ours: await run(ours) };
}

async function expectSame(bytes: Buffer, count?: number) {
  const { stock: s, ours: o } = await outcomes(bytes);
  expect(o).toStrictEqual(s);
  if (count !== undefined) expect((s as { records: unknown[] }).records).toHaveLength(count);
}

const b = (s: string) => Buffer.from(s);
const plain = (n: number, at = 0): TestRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    offsetDelta: i,
    timestampDelta: i * 7,
    key: b(`k${at + i}`),
    value: b(JSON.stringify({ id: at + i, name: 'café' })),
  }));

describe('record batch decoder', () => {
  it('decodes plain batches like kafkajs: keys, nulls, empty values', async () => {
    const odd: TestRecord[] = [
      { offsetDelta: 0, key: null, value: b('{"a":1}') },
      { offsetDelta: 1, key: b(''), value: null },
      { offsetDelta: 2, key: b('k'), value: b(''), timestampDelta: -5 },
    ];
    await expectSame(section([await batch(plain(50)), await batch(odd, { firstOffset: 50n })]), 53);
  });

  it('merges repeated headers as kafkajs does', async () => {
    const headers: Headers = { trace: 't-1', dup: ['a', 'b', 'c'], e: '' };
    const records: TestRecord[] = [
      { offsetDelta: 0, key: b('h'), value: b('v'), headers },
      { offsetDelta: 1, key: b('h'), value: b('v'), headers: { one: b('\u0000\u00ff') } },
    ];
    await expectSame(section([await batch(records)]), 2);
  });

  it('keeps a header named like an Object.prototype member as its value (kafkajs merges it with the member)', async () => {
    const bytes = section([
      await batch([{ offsetDelta: 0, key: null, value: b('v'), headers: { toString: 't' } }]),
    ]);
    const [theirs] = (await stock(new Decoder(bytes))) as Fetched[];
    const [mine] = (await ours(new Decoder(bytes))) as Fetched[];
    expect(Array.isArray((theirs?.headers as Headers).toString)).toBe(true);
    expect(mine?.headers).toEqual({ toString: b('t') });
  });

  for (const [name, compression] of [
    ['gzip', 1],
    ['snappy', 2],
    ['lz4', 3],
  ] as const) {
    it(`decodes ${name}-compressed batches`, async () => {
      const batches = [await batch(plain(200), { compression }), await batch(plain(3, 200), { compression })];
      await expectSame(section(batches), 203);
    });
  }

  it('computes offsets and timestamps beyond 2^53 and huge deltas exactly (BigInt fallback)', async () => {
    const records: TestRecord[] = [
      { offsetDelta: 0, key: null, value: b('x'), timestampDelta: 2n ** 52n + 3n },
      { offsetDelta: 1, key: null, value: b('y'), timestampDelta: -(2n ** 60n) },
      { offsetDelta: 2, key: null, value: b('z'), timestampDelta: 2n ** 48n },
    ];
    await expectSame(section([await batch(records, { firstOffset: 2n ** 53n - 2n })]), 3);
    await expectSame(section([await batch(records, { firstTimestamp: -1 })]), 3);
  });

  it('uses the batch max timestamp under LogAppendTime and marks control and transactional batches', async () => {
    await expectSame(section([await batch(plain(4), { attributes: 0x08 })]), 4);
    const control = await batch(plain(2), { transactional: true, attributes: 0x20 });
    await expectSame(section([await batch(plain(3), { transactional: true }), control]), 5);
  });

  it('stops at a partial batch at the end of the fetch, as kafkajs does', async () => {
    const batches = [await batch(plain(10)), await batch(plain(10, 10), { firstOffset: 10n })];
    for (const cut of [1, 30, 200]) await expectSame(section(batches, cut), 10);
  });

  it('fails like kafkajs on a varlong of more than 9 bytes', async () => {
    const body = Buffer.from([0, ...Array(10).fill(0xff), 0x01, 0, 2, 2, 0x41, 0]);
    const raw = new Encoder().writeVarInt(body.length).writeBuffer(body);
    const encoded = await RecordBatch({ firstOffset: Long.fromValue(0n), records: [raw] });
    const { stock: s, ours: o } = await outcomes(section([Buffer.from(encoded.buffer)]));
    expect(s).toHaveProperty('error');
    expect(o).toStrictEqual(s);
  });

  it('fails on a record of negative length (kafkajs fails with a TypeError there)', async () => {
    const records = [Record({ offsetDelta: 0, key: null, value: b('ok') }), new Encoder().writeVarInt(-1)];
    const encoded = await RecordBatch({ firstOffset: Long.fromValue(0n), records });
    const { stock: s, ours: o } = await outcomes(section([Buffer.from(encoded.buffer)]));
    expect(s).toEqual({ error: expect.stringMatching(/^TypeError/) });
    expect(o).toEqual({
      error: expect.stringMatching(/^FeedctlError: kafka: decode record batch: .*negative length/),
    });
  });

  it('packs a lake batch from its records as from the same messages as plain objects (lane-protocol.ts)', async () => {
    const records: TestRecord[] = [
      ...plain(5),
      { offsetDelta: 5, key: null, value: null },
      { offsetDelta: 6, key: b(''), value: b(''), headers: { h: 'x', d: ['1', '2'] } },
      { offsetDelta: 7, key: b('k'), value: b('last'), timestampDelta: -3 },
    ];
    const fetched = (await ours(new Decoder(section([await batch(records)])))) as FetchedRecord[];
    // (kafkajs' header type omits the null a header value can be; the records hold none here)
    const messages = fetched as unknown as FetchedMessage[];
    const plainOnes = fetched.map(
      (r) => ({ ...fields(r as unknown as Fetched) }) as unknown as FetchedMessage,
    );
    expect(fetched.every((r) => typeof r.copyBytes === 'function')).toBe(true);
    expect(packBatch(2, messages, 1)).toStrictEqual(packBatch(2, plainOnes, 1));
    expect(packBatch(2, messages, 1)?.headers).toHaveLength(1);
  });

  it('decodes seeded random batches like kafkajs', async () => {
    const random = mulberry32(20261127);
    const int = (n: number) => Math.floor(random() * n);
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
    const batches: Buffer[] = [];
    let offset = 0n;
    for (let i = 0; i < 60; i++) {
      const records = Array.from({ length: 1 + int(40) }, (_, j): TestRecord => ({
        offsetDelta: j,
        timestampDelta: int(4) === 0 ? -int(1e9) : int(1e12),
        key: int(5) === 0 ? null : bytes(int(30)),
        value: int(9) === 0 ? null : bytes(int(300)),
        headers: int(4) === 0 ? { [`h${int(3)}`]: bytes(int(5)), x: [b('1'), b('2')] } : {},
      }));
      batches.push(await batch(records, { firstOffset: offset, compression: int(4) }));
      offset += BigInt(records.length);
    }
    await expectSame(section(batches));
  });
});
