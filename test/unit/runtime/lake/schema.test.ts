import { describe, expect, it } from 'vitest';
import { arrowSchema, lakeColumns, schemaHash } from '../../../../src/runtime/lake/schema.js';
import { FIELDS } from './fixtures.js';

describe('lake column layout', () => {
  it('maps every field kind to its Arrow type, then appends the lineage columns', () => {
    const schema = arrowSchema(lakeColumns(FIELDS));
    expect(
      schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable ? 'null' : 'not null'}`),
    ).toEqual([
      'id:Utf8:not null',
      'qty:Int32:not null',
      'big:Int64:not null',
      'ratio:Float32:not null',
      'price:Float64:not null',
      'amount:Decimal[15e+2]:not null',
      'huge:Utf8:null',
      'flag:Bool:null',
      'born:Date32<DAY>:not null',
      'at:Timestamp<MILLISECOND, UTC>:not null',
      'payload:Utf8:null',
      'note:Utf8:null',
      '_kafka_partition:Int32:not null',
      '_kafka_offset:Int64:not null',
      '_kafka_timestamp:Timestamp<MILLISECOND, UTC>:not null',
      '_ingested_at:Timestamp<MILLISECOND, UTC>:not null',
    ]);
  });

  it('refuses field names that the lineage or hive columns use', () => {
    const f = FIELDS[0]!;
    expect(() => lakeColumns([f, { ...f, name: '_kafka_offset' }])).toThrow(/_kafka_offset is reserved/);
    expect(() => lakeColumns([{ ...f, name: 'day' }])).toThrow(/day is reserved/);
  });

  it('hashes the layout: stable, and changed by a type or nullability change', () => {
    const base = schemaHash(lakeColumns(FIELDS));
    expect(schemaHash(lakeColumns(FIELDS))).toBe(base);
    const widened = FIELDS.map((f) => (f.name === 'qty' ? { ...f, type: { kind: 'bigint' as const } } : f));
    expect(schemaHash(lakeColumns(widened))).not.toBe(base);
    const nullable = FIELDS.map((f) => (f.name === 'qty' ? { ...f, nullable: true } : f));
    expect(schemaHash(lakeColumns(nullable))).not.toBe(base);
  });
});
