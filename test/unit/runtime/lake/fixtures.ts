/**
 * Shared fixtures of the lake sink tests: a feed with every field type, deterministic records (the same offset
 * always decodes to the same values, so replays are identical), and DuckDB as the independent Parquet reader.
 */
import type { FeedSpec, FieldSpec } from '../../../../src/feeds/types.js';
import type { DecodedRecord, FieldValue } from '../../../../src/runtime/record.js';
import { feedSpec as sharedFeedSpec, field } from '../../../helpers/feed-spec.js';

/** One field of every kind, some nullable, including a decimal wider than Decimal128. */
export const FIELDS: FieldSpec[] = [
  field('id', { kind: 'string', maxLength: 64 }),
  field('qty', { kind: 'int' }),
  field('big', { kind: 'bigint' }),
  field('ratio', { kind: 'float' }),
  field('price', { kind: 'double' }),
  field('amount', { kind: 'decimal', precision: 15, scale: 2 }),
  field('huge', { kind: 'decimal', precision: 50, scale: 10 }, true),
  field('flag', { kind: 'boolean' }, true),
  field('born', { kind: 'date' }),
  field('at', { kind: 'timestamp' }),
  field('payload', { kind: 'json' }, true),
  field('note', { kind: 'string', maxLength: null }, true),
];

/** A stream feed over {@link FIELDS} (lake only, flushing every 10,000 rows); `lake` overrides the lake destination. */
export function feedSpec(name: string, lake: Partial<FeedSpec['destinations']['lake']> = {}): FeedSpec {
  const base = sharedFeedSpec({
    name,
    topic: `t.${name}`,
    partitions: 2,
    fields: FIELDS,
    key: ['id'],
    eventTimeField: 'at',
    table: null,
    deadLetterTopic: null,
  });
  const flush = { maxRows: 10_000, maxBytes: 64 << 20, idleSeconds: 5 };
  return {
    ...base,
    destinations: { ...base.destinations, lake: { ...base.destinations.lake, flush, ...lake } },
  };
}

/** 2024-02-28T22:00:00Z: records cross day (and month) boundaries quickly. */
export const BASE_MS = Date.UTC(2024, 1, 28, 22);
/** Event time advances by 7 minutes per offset: about 205 records per UTC day. */
export const STEP_MS = 7 * 60_000;

/** The values of the record at `offset`, per {@link FIELDS}. */
export function valuesAt(offset: number): FieldValue[] {
  const at = BASE_MS + offset * STEP_MS;
  const sign = offset % 2 === 0 ? '' : '-';
  return [
    `id-${offset}-é日🚀`,
    (offset % 2 === 0 ? 1 : -1) * ((offset * 7919) % 2_147_483_647),
    2n ** 60n + BigInt(offset) * (offset % 3 === 0 ? -1n : 1n),
    offset / 4,
    offset * 1.5 - 0.25,
    `${sign}${offset}.${String(offset % 100).padStart(2, '0')}`,
    offset % 5 === 0 ? null : `${sign}${'9'.repeat(30)}${offset}.0000000001`,
    offset % 3 === 0 ? null : offset % 2 === 0,
    Math.floor(at / 86_400_000) - 20_000,
    at,
    offset % 4 === 0 ? null : JSON.stringify({ n: offset, tags: ['a', 'b'] }),
    offset % 6 === 0 ? null : 'x'.repeat(offset % 40),
  ];
}

/** Records `from..to-1` of one partition. */
export function records(partition: number, from: number, to: number): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  for (let offset = from; offset < to; offset++) {
    const at = BASE_MS + offset * STEP_MS;
    out.push({ partition, offset, timestampMs: at + 1000, eventTimeMs: at, values: valuesAt(offset) });
  }
  return out;
}
