/**
 * A field's `column`: the manifest names a field by its message property (`name`), the warehouse and the lake by
 * its column. Normalization resolves key, event time and snapshot version to columns; the decoder reads the
 * property; the runtime spec (and so the generation) of a feed without a mapping is what it was.
 */
import { describe, expect, it } from 'vitest';
import { loadFeeds } from '../../../src/feeds/load.js';
import { runtimeSpec, specHash } from '../../../src/feeds/runtime-spec.js';
import type { FeedSpec } from '../../../src/feeds/types.js';
import { createDecoder, isFailure } from '../../../src/runtime/decode/decoder.js';
import { feedSpec, field } from '../../helpers/feed-spec.js';
import { message } from '../runtime/decode/decode-helpers.js';

async function load(file: string): Promise<FeedSpec> {
  const { feeds, diagnostics } = await loadFeeds([file]);
  expect(diagnostics).toEqual([]);
  return feeds[0] as FeedSpec;
}

describe('field columns', () => {
  it('resolves key and event time to columns and keeps each property', async () => {
    const feed = await load('test/fixtures/manifests/good/field-columns.yaml');
    expect(feed.schema.fields.map((f) => [f.property, f.name])).toEqual([
      ['id', 'source_id'],
      ['order', 'source_order'],
      ['createdAt', 'created_on'],
      ['amount', 'amount'],
      ['line total', 'line_total'],
    ]);
    expect(feed.schema.key).toEqual(['source_id']);
    expect(feed.schema.eventTime).toEqual({ source: 'field', field: 'created_on' });
  });

  it('decodes each property into its column, and names the property in a refusal', () => {
    const spec = feedSpec({
      fields: [
        { ...field('source_id', { kind: 'string', maxLength: 10 }), property: 'id' },
        { ...field('source_order', { kind: 'int' }, true), property: 'order' },
        { ...field('line_total', { kind: 'decimal', precision: 6, scale: 2 }, true), property: 'line total' },
        field('at', { kind: 'timestamp' }),
      ],
      key: ['source_id'],
      eventTimeField: 'at',
    });
    const decoder = createDecoder(spec, 1);
    const ok = decoder.decode(
      message('{"id":"a1","order":7,"line total":"12.50","at":0,"source_id":"ignored"}'),
    );
    expect(isFailure(ok) ? ok.message : ok.values).toEqual(['a1', 7, '12.50', 0]);
    const bad = decoder.decode(message('{"source_id":"a1","at":0}'));
    expect(isFailure(bad) ? bad.message : bad).toBe('/id: is required');
  });

  it('leaves the runtime spec of unmapped fields unchanged, and a new mapping changes the hash', () => {
    const plain = feedSpec();
    expect(JSON.stringify(runtimeSpec(plain))).not.toContain('property');
    const [first, ...rest] = plain.schema.fields;
    const mapped: FeedSpec = {
      ...plain,
      schema: { ...plain.schema, fields: [{ ...first!, property: 'eventId' }, ...rest] },
    };
    expect(specHash(mapped)).not.toBe(specHash(plain));
  });
});
