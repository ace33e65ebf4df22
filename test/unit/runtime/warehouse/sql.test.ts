import { describe, expect, it } from 'vitest';
import { feedSpec, field } from '../../../helpers/feed-spec.js';
import {
  GUARD,
  MAX_CHUNK_ROWS,
  upsertStatement,
  upsertTemplate,
} from '../../../../src/runtime/warehouse/sql.js';

const feed = feedSpec({
  table: 'fact_t',
  fields: [field('id', { kind: 'string', maxLength: 8 }), field('qty', { kind: 'int' }, true)],
  key: ['id'],
  eventTimeField: null,
});

describe('warehouse upsert SQL', () => {
  it('inserts the fields then the system columns, quoted', () => {
    const t = upsertTemplate(feed);
    expect(t.columns).toEqual([
      'id',
      'qty',
      'snapshot_date',
      'snapshot_version',
      '_event_time',
      '_kafka_partition',
      '_kafka_offset',
    ]);
    expect(t.head).toBe(
      'INSERT INTO `fact_t` (`id`, `qty`, `snapshot_date`, `snapshot_version`, `_event_time`, ' +
        '`_kafka_partition`, `_kafka_offset`) VALUES ',
    );
    expect(t.row).toBe('(?, ?, ?, ?, ?, ?, ?)');
  });

  it('guards every assignment: data columns, then partition, offset, and _event_time last', () => {
    const t = upsertTemplate(feed);
    const assigned = [...t.tail.matchAll(/(`\w+`) = IF\(/g)].map((m) => m[1]);
    expect(assigned).toEqual(['`id`', '`qty`', '`_kafka_partition`', '`_kafka_offset`', '`_event_time`']);
    expect(t.tail.startsWith(' ON DUPLICATE KEY UPDATE ')).toBe(true);
    expect(t.tail).toContain(`\`qty\` = IF(${GUARD}, VALUES(\`qty\`), \`qty\`)`);
    expect(t.tail.split(GUARD)).toHaveLength(6);
    expect(t.tail).not.toMatch(/snapshot_(date|version)` =/);
    expect(t.tail).not.toMatch(/\bAS new\b/i);
  });

  it('compares (event time, offset) lexicographically, incoming ≥ stored; a row without lineage is older', () => {
    expect(GUARD).toBe(
      '(`_event_time` IS NULL OR VALUES(`_event_time`) > `_event_time` OR ' +
        '(VALUES(`_event_time`) = `_event_time` AND VALUES(`_kafka_offset`) >= `_kafka_offset`))',
    );
  });

  it('repeats the row placeholder per row and flattens the values in order', () => {
    const t = upsertTemplate(feed);
    const s = upsertStatement(t, [
      ['a', 1, '2025-01-01', 0, '2025-01-01 00:00:00.000', 0, 10],
      ['b', null, '2025-01-01', 0, '2025-01-01 00:00:00.001', 0, 11],
    ]);
    expect(s.sql).toBe(`${t.head}${t.row}, ${t.row}${t.tail}`);
    expect(s.values).toEqual([
      ...['a', 1, '2025-01-01', 0, '2025-01-01 00:00:00.000', 0, 10],
      ...['b', null, '2025-01-01', 0, '2025-01-01 00:00:00.001', 0, 11],
    ]);
  });

  it('refuses empty and oversized chunks and rows of the wrong width', () => {
    const t = upsertTemplate(feed);
    const row = ['a', 1, '2025-01-01', 0, '2025-01-01 00:00:00.000', 0, 10];
    expect(() => upsertStatement(t, [])).toThrow(/0 rows/);
    expect(() => upsertStatement(t, new Array(MAX_CHUNK_ROWS + 1).fill(row))).toThrow(/1001 rows/);
    expect(() => upsertStatement(t, [row.slice(1)])).toThrow(/6 values for 7 columns/);
  });

  it('refuses unsafe identifiers and feeds without a table', () => {
    expect(() => upsertTemplate(feedSpec({ table: 'bad`name' }))).toThrow(/not a safe identifier/);
    expect(() => upsertTemplate(feedSpec({ table: null }))).toThrow(/no warehouse table/);
  });
});
