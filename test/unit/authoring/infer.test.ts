import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inferFields, parseValues } from '../../../src/authoring/infer.js';
import { classify, roundLength, widen } from '../../../src/authoring/infer-value.js';

const FIXTURE = readFileSync(new URL('../../fixtures/authoring/every-type.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');

describe('inferFields on a fixture with every type', () => {
  const result = inferFields(parseValues(FIXTURE), { feed: 'orders' });
  const byName = new Map(result.fields.map((f) => [f.name, f]));
  const field = (name: string) => {
    const f = byName.get(name);
    if (!f) throw new Error(`no field ${name}`);
    return f;
  };

  it('keeps the properties in order of first appearance', () => {
    const first = Object.keys(JSON.parse(FIXTURE[0] as string) as object);
    expect(result.fields.map((f) => f.name)).toEqual(first);
  });

  it.each([
    ['name', { kind: 'string', maxLength: 64 }],
    ['qty', { kind: 'int' }],
    ['big', { kind: 'bigint' }],
    ['huge', { kind: 'decimal', precision: 20, scale: 0 }],
    ['ratio', { kind: 'double' }],
    ['price', { kind: 'decimal', precision: 6, scale: 2 }],
    ['amount_text', { kind: 'decimal', precision: 4, scale: 2 }],
    ['active', { kind: 'boolean' }],
    ['birthday', { kind: 'date' }],
    ['occurred_at', { kind: 'timestamp' }],
    ['attrs', { kind: 'json' }],
    ['tags', { kind: 'json' }],
    ['mixed_num', { kind: 'decimal', precision: 2, scale: 1 }],
    ['mixed_any', { kind: 'string', maxLength: 16 }],
  ])('types %s as %j', (name, type) => {
    expect(field(name).type).toEqual(type);
  });

  it('makes nullable a field missing or null in some messages, and only those', () => {
    expect(field('note').nullable).toBe(true);
    expect(field('coupon').nullable).toBe(true);
    expect(field('always_null')).toMatchObject({ type: { kind: 'string' }, nullable: true });
    expect(field('always_null').note).toMatch(/null in every sampled message/);
    expect(result.fields.filter((f) => f.nullable).map((f) => f.name)).toEqual([
      'note',
      'coupon',
      'always_null',
    ]);
  });

  it('maps properties that cannot be columns, with a note', () => {
    expect(field('id')).toMatchObject({
      column: 'source_id',
      note: expect.stringMatching(/column feedctl adds/),
    });
    expect(field('order')).toMatchObject({
      column: 'source_order',
      note: expect.stringMatching(/reserved word/),
    });
    expect(field('customerId')).toMatchObject({ column: 'customer_id' });
    expect(field('name').column).toBeUndefined();
  });

  it('notes mixes, decimal strings and the message that is not an object', () => {
    expect(field('mixed_num').note).toMatch(/integers and decimals/);
    expect(field('mixed_any').note).toMatch(/strings and other values \(int\)/);
    expect(field('amount_text').note).toMatch(/decimal written as a string/);
    expect(result.notes[0]).toBe('1 of 3 sampled messages were not JSON objects and were ignored.');
  });

  it('suggests id as the key and occurred_at as the event time', () => {
    expect(result.key).toEqual(['id']);
    expect(result.eventTime).toBe('occurred_at');
    expect(result.notes.join('\n')).toMatch(/Key guessed: id[\s\S]*Event time guessed: occurred_at/);
  });
});

describe('key and event time suggestions', () => {
  it('prefers <feed>_id when there is no id, and needs it in every message', () => {
    const values = parseValues([
      '{"a_id":1,"orders_id":"x","ts":"2024-01-01T00:00:00Z"}',
      '{"a_id":2,"orders_id":"y"}',
    ]);
    const r = inferFields(values, { feed: 'orders' });
    expect(r.key).toEqual(['orders_id']);
    expect(r.eventTime).toBeUndefined();
    expect(r.notes.join('\n')).toMatch(/Kafka record timestamp/);
    const partial = inferFields(parseValues(['{"a_id":1}', '{"b":2}']));
    expect(partial.key).toEqual([]);
  });

  it('infers nothing from a sample without objects', () => {
    const r = inferFields(parseValues(['[1]', 'not json', null]));
    expect(r.fields).toEqual([]);
    expect(r.notes).toEqual([
      '3 of 3 sampled messages were not JSON objects and were ignored.',
      'No JSON object in the sample: no field could be inferred.',
    ]);
  });
});

describe('value rules', () => {
  it('rounds string lengths up to 16, 32, 64, 128, 255, then multiples of 256', () => {
    expect([0, 1, 16, 17, 33, 65, 129, 255, 256, 257, 600].map(roundLength)).toEqual([
      16, 16, 16, 32, 64, 128, 255, 255, 256, 512, 768,
    ]);
  });

  it('keeps integers exact: int32, int64, then decimal, then double', () => {
    const [a, b, c, d, e] = parseValues([
      '2147483647',
      '2147483648',
      '-9223372036854775808',
      '12345678901234567890',
      '1' + '0'.repeat(40),
    ]);
    expect([a, b, c, d, e].map((v) => classify(v).kind)).toEqual([
      'int',
      'bigint',
      'bigint',
      'decimal',
      'double',
    ]);
  });

  it('reads precision and scale from the text, counting trailing zeros', () => {
    const [x] = parseValues(['0.50']);
    expect(widen([classify(x)]).type).toEqual({ kind: 'decimal', precision: 3, scale: 2 });
    const [y] = parseValues(['1.' + '1'.repeat(38)]);
    expect(widen([classify(y)]).type).toEqual({ kind: 'double' });
  });

  it('recognises dates and timestamps in their ISO forms only', () => {
    expect(
      [
        '2024-02-29',
        '2024-02-29T10:00',
        '2024-02-29 10:00:00.5',
        '2024-02-29T10:00:00+0100',
        '29/02/2024',
        '2024-02-29T',
      ].map((s) => classify(s).kind),
    ).toEqual(['date', 'timestamp', 'timestamp', 'timestamp', 'string', 'string']);
  });

  it('widens dates with timestamps, and numbers with booleans, with a note', () => {
    expect(widen([classify('2024-01-01'), classify('2024-01-01T00:00:00Z')])).toEqual({
      type: { kind: 'string', maxLength: 32 },
      note: 'dates and timestamps seen: typed string',
    });
    expect(widen([classify(true), ...parseValues(['1']).map(classify)]).type).toEqual({ kind: 'json' });
  });
});
