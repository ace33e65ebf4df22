import { describe, expect, it } from 'vitest';
import { renderManifest } from '../../../src/authoring/draft.js';
import { parseFieldSpec } from '../../../src/authoring/field-spec.js';
import { buildDraft, type NewOptions } from '../../../src/authoring/new.js';
import { inferFields, parseValues } from '../../../src/authoring/infer.js';
import { checkManifest } from '../../../src/feeds/load.js';

describe('parseFieldSpec', () => {
  it.each([
    ['name:string', { kind: 'string', maxLength: 255 }, false],
    ['name:string(64)?', { kind: 'string', maxLength: 64 }, true],
    ['n:int', { kind: 'int' }, false],
    ['n:bigint?', { kind: 'bigint' }, true],
    ['n:float', { kind: 'float' }, false],
    ['n:double', { kind: 'double' }, false],
    ['n:decimal(12, 2)', { kind: 'decimal', precision: 12, scale: 2 }, false],
    ['n:boolean', { kind: 'boolean' }, false],
    ['n:date?', { kind: 'date' }, true],
    ['n:timestamp', { kind: 'timestamp' }, false],
    ['n:json?', { kind: 'json' }, true],
  ])('reads %s', (spec, type, nullable) => {
    expect(parseFieldSpec(spec)).toMatchObject({ type, nullable });
  });

  it('notes the default length of a plain string', () => {
    expect(parseFieldSpec('a:string').note).toMatch(/maxLength 255 by default/);
    expect(parseFieldSpec('a:string(10)').note).toBeUndefined();
  });

  it.each([
    ['amount', /expected name:type/],
    ['amount:money', /expected name:type/],
    [':int', /expected name:type/],
    ['a:int(3)', /int takes no length/],
    ['a:string(0)', /at least 1/],
    ['a:string(1,2)', /one length/],
    ['a:decimal', /needs a precision and a scale/],
    ['a:decimal(39,2)', /precision must be from 1 to 38/],
    ['a:decimal(4,5)', /scale must not exceed/],
  ])('refuses %s, naming it', (spec, why) => {
    expect(() => parseFieldSpec(spec)).toThrow(why);
    expect(() => parseFieldSpec(spec)).toThrow(`read --field ${spec.replace(/\s+/g, '')}`.slice(0, 20));
  });
});

const BASE: NewOptions = { name: 'orders', type: 'stream', fields: [], key: [], sample: 10, dir: '.' };

describe('buildDraft', () => {
  it('maps a flag field that cannot be a column and keeps the draft valid', () => {
    const draft = buildDraft({
      ...BASE,
      fields: ['id:string(36)', 'customerId:string(16)', 'at:timestamp'].map(parseFieldSpec),
      key: ['id'],
      warehouseTable: 'fact_orders',
    });
    expect(draft.fields.map((f) => f.column)).toEqual(['source_id', 'customer_id', undefined]);
    const checked = checkManifest('orders.yaml', Buffer.from(renderManifest(draft)));
    expect(checked.diagnostics).toEqual([]);
  });

  it('adopts the sampled topic, with the reason as a comment, and lets flags override inferred fields', () => {
    const inferred = inferFields(parseValues(['{"id":1,"note":"x","at":"2024-01-01T00:00:00Z"}']), {
      feed: 'o',
    });
    const draft = buildDraft(
      { ...BASE, fields: [parseFieldSpec('note:string(500)?')] },
      { topic: 'legacy.orders', partitions: 6, messages: 1, complete: true, inferred },
    );
    expect(draft.topic).toMatchObject({ name: 'legacy.orders', partitions: 6, adopt: true });
    expect(draft.fields.find((f) => f.name === 'note')).toMatchObject({
      type: { maxLength: 500 },
      nullable: true,
    });
    const yaml = renderManifest(draft);
    expect(yaml).toMatch(
      /# The topic already exists \(6 partitions, as observed\)[^\n]*\n.*\n\s+adopt: true/,
    );
    expect(checkManifest('orders.yaml', Buffer.from(yaml)).diagnostics).toEqual([]);
  });

  it('refuses a draft without fields, an unknown key, and a warehouse without a key', () => {
    expect(() => buildDraft(BASE)).toThrow(/no field/);
    const fields = [parseFieldSpec('a:int')];
    expect(() => buildDraft({ ...BASE, fields, key: ['b'] })).toThrow(/read --key b: not a field/);
    expect(() => buildDraft({ ...BASE, fields, warehouseTable: 't' })).toThrow(/give --key/);
  });
});
