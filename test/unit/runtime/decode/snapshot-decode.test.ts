import { describe, expect, it } from 'vitest';
import type { SnapshotSpec } from '../../../../src/feeds/types.js';
import { createDecoder, isFailure, type RawMessage } from '../../../../src/runtime/decode/decoder.js';
import type { DecodedRecord, DecodeFailure } from '../../../../src/runtime/record.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';
import { message } from './decode-helpers.js';

const ROW = '{"id":1}';
const byField: SnapshotSpec = { version: { source: 'field', name: 'v' }, seal: { mode: 'marker' } };

function tableDecoder(snapshot?: SnapshotSpec) {
  const fields = [field('id', { kind: 'int' })];
  if (snapshot?.version.source === 'field') fields.push(field('v', { kind: 'bigint' }));
  const spec = feedSpec({ type: 'table', fields, key: ['id'], eventTimeField: null, snapshot });
  return createDecoder(spec, 1);
}

function decode(value: string | Buffer | null, headers: RawMessage['headers'], snapshot?: SnapshotSpec) {
  return tableDecoder(snapshot).decode(message(value, { headers }));
}

function record(out: DecodedRecord | DecodeFailure): DecodedRecord {
  if (isFailure(out))
    throw new Error(`expected a record, got ${out.stage}/${out.errorClass}: ${out.message}`);
  return out;
}

function failure(out: DecodedRecord | DecodeFailure): DecodeFailure {
  if (!isFailure(out)) throw new Error(`expected a failure, got ${JSON.stringify(out.snapshot)}`);
  return out;
}

const b = (s: string) => Buffer.from(s, 'utf8');

describe('table feed rows', () => {
  it('are tagged with the version of their snapshot_version header', () => {
    const r = record(decode(ROW, { snapshot_version: b('3') }));
    expect(r.values).toEqual([1]);
    expect(r.snapshot).toEqual({ end: false, version: 3, date: null });
  });

  it('accept the header as a string and the highest version', () => {
    expect(record(decode(ROW, { snapshot_version: '2147483647' })).snapshot).toEqual({
      end: false,
      version: 2147483647,
      date: null,
    });
  });

  it('carry the snapshot_date header as a day number', () => {
    const r = record(decode(ROW, { snapshot_version: b('3'), snapshot_date: b('2026-11-20') }));
    expect(r.snapshot).toEqual({ end: false, version: 3, date: Date.UTC(2026, 10, 20) / 86_400_000 });
    expect(r.snapshot).toEqual({ end: false, version: 3, date: 20777 });
  });

  it('carry dates of years below 100 as they are (no 19xx mapping)', () => {
    const r = record(decode(ROW, { snapshot_version: b('3'), snapshot_date: b('0099-01-01') }));
    expect(r.snapshot).toEqual({ end: false, version: 3, date: -683_368 });
    const leap = record(decode(ROW, { snapshot_version: b('3'), snapshot_date: b('2024-02-29') }));
    expect(leap.snapshot).toEqual({ end: false, version: 3, date: 19_782 });
  });

  it.each(['2026-02-30', '20-11-2026', 'tomorrow', '', '0000-01-01', '2023-02-29'])(
    'refuse the snapshot_date %j',
    (date) => {
      const f = failure(decode(ROW, { snapshot_version: b('3'), snapshot_date: b(date) }));
      expect(f).toMatchObject({ stage: 'snapshot', errorClass: 'InvalidSnapshotDate' });
    },
  );

  it('without a version header are a snapshot failure', () => {
    const f = failure(decode(ROW, {}));
    expect(f).toMatchObject({ stage: 'snapshot', errorClass: 'MissingVersion' });
    expect(f.message).toContain('no snapshot_version header');
  });

  it.each(['0', '-1', 'abc', '2147483648', '1.5', ''])('refuse the version %j', (v) => {
    const f = failure(decode(ROW, { snapshot_version: b(v) }));
    expect(f).toMatchObject({ stage: 'snapshot', errorClass: 'MissingVersion' });
  });

  it('use the last header when it was sent several times', () => {
    const r = record(decode(ROW, { snapshot_version: [b('2'), b('5')] }));
    expect(r.snapshot).toEqual({ end: false, version: 5, date: null });
  });

  it('fail parse or schema before their version is looked at', () => {
    expect(failure(decode('x', { snapshot_version: b('3') })).stage).toBe('parse');
    expect(failure(decode('{"id":"x"}', {})).stage).toBe('schema');
  });
});

describe('table feed rows with the version in a field', () => {
  it('take it from the field', () => {
    const r = record(decode('{"id":1,"v":4}', {}, byField));
    expect(r.values).toEqual([1, 4n]);
    expect(r.snapshot).toEqual({ end: false, version: 4, date: null });
  });

  it('ignore the version header', () => {
    const r = record(decode('{"id":1,"v":4}', { snapshot_version: b('9') }, byField));
    expect(r.snapshot).toEqual({ end: false, version: 4, date: null });
  });

  it.each(['2147483648', '0', '-2', '9223372036854775807'])('refuse the field value %s', (v) => {
    const f = failure(decode(`{"id":1,"v":${v}}`, {}, byField));
    expect(f).toMatchObject({ stage: 'snapshot', errorClass: 'MissingVersion' });
    expect(f.message).toContain('field v is not a version');
  });
});

describe('end markers', () => {
  it.each([null, Buffer.alloc(0)])('are recognised before decoding (value %j)', (value) => {
    const r = record(decode(value, { snapshot_end: b('3') }));
    expect(r).toEqual({
      partition: 0,
      offset: 7,
      timestampMs: 1000,
      eventTimeMs: 1000,
      values: [],
      snapshot: { end: true, version: 3, rows: null },
    });
  });

  it('carry their snapshot_rows, zero included', () => {
    expect(record(decode(null, { snapshot_end: b('3'), snapshot_rows: b('10') })).snapshot).toEqual({
      end: true,
      version: 3,
      rows: 10,
    });
    expect(record(decode(null, { snapshot_end: '3', snapshot_rows: '0' })).snapshot).toEqual({
      end: true,
      version: 3,
      rows: 0,
    });
  });

  it('with a value are invalid', () => {
    const f = failure(decode(ROW, { snapshot_end: b('3') }));
    expect(f).toMatchObject({ stage: 'snapshot', errorClass: 'InvalidMarker' });
    expect(f.message).toContain('has a value');
  });

  it.each(['-1', 'ten', '1.5'])('with snapshot_rows %j are invalid', (rows) => {
    const f = failure(decode(null, { snapshot_end: b('3'), snapshot_rows: b(rows) }));
    expect(f).toMatchObject({ stage: 'snapshot', errorClass: 'InvalidMarker' });
    expect(f.message).toContain('snapshot_rows');
  });

  it.each(['0', 'x', '2147483648'])('of version %j are invalid', (v) => {
    const f = failure(decode(null, { snapshot_end: b(v) }));
    expect(f).toMatchObject({ stage: 'snapshot', errorClass: 'InvalidMarker' });
  });

  it('use the last snapshot_end header when it was sent several times', () => {
    expect(record(decode(null, { snapshot_end: [b('2'), b('4')] })).snapshot).toEqual({
      end: true,
      version: 4,
      rows: null,
    });
  });
});

describe('stream feeds', () => {
  const stream = () =>
    createDecoder(feedSpec({ fields: [field('id', { kind: 'int' })], key: ['id'], eventTimeField: null }), 1);

  it('ignore the snapshot headers', () => {
    const headers = { snapshot_version: b('3'), snapshot_end: b('3'), snapshot_date: b('nope') };
    const r = record(stream().decode(message(ROW, { headers })));
    expect(r.values).toEqual([1]);
    expect(r).not.toHaveProperty('snapshot');
  });

  it('decode an empty "marker" as any empty message: a parse failure', () => {
    const f = failure(stream().decode(message(null, { headers: { snapshot_end: b('3') } })));
    expect(f.stage).toBe('parse');
  });
});

describe('decoder counters on a table feed', () => {
  it('count rows and markers as decoded and snapshot failures apart', () => {
    const d = tableDecoder();
    const outs = [
      message(ROW, { headers: { snapshot_version: b('1') } }),
      message(null, { headers: { snapshot_end: b('1') } }),
      message(ROW, {}),
      message(ROW, { headers: { snapshot_end: b('1') } }),
      message('x', { headers: { snapshot_version: b('1') } }),
      message('{"id":"x"}', { headers: { snapshot_version: b('1') } }),
    ].map((m) => d.decode(m));
    expect(outs.map(isFailure)).toEqual([false, false, true, true, true, true]);
    expect(d.counters).toEqual({ decoded: 2, failed: { parse: 1, schema: 1, snapshot: 2 } });
  });
});
