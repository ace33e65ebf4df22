/** The bulk path's SQL and TSV (pure): the multi-row path's guard byte for byte, and LOAD DATA's escapes. */
import { describe, expect, it } from 'vitest';
import { feedSpec, field } from '../../../helpers/feed-spec.js';
import {
  bulkTemplate,
  memoryRowBytes,
  tempTableName,
  tsv,
  tsvField,
} from '../../../../src/runtime/warehouse/bulk-sql.js';
import { upsertTemplate } from '../../../../src/runtime/warehouse/sql.js';

describe('bulk path SQL', () => {
  const t = upsertTemplate(feedSpec({ name: 'orders' }));

  it('upserts from the temporary table with the multi-row ON DUPLICATE KEY UPDATE, in sequence order', () => {
    const b = bulkTemplate(t, 0);
    expect(b.upsert.endsWith(t.tail)).toBe(true);
    expect(b.upsert).toContain(
      'SELECT c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 FROM `feedctl_load_fact_orders`' +
        ' WHERE `_feedctl_seq` BETWEEN ? AND ? ORDER BY `_feedctl_seq` ON DUPLICATE KEY UPDATE',
    );
    expect(b.upsert.startsWith(t.head.replace(' VALUES ', ' '))).toBe(true);
    expect(b.load).toBe(
      "LOAD DATA LOCAL INFILE 'feedctl.tsv' INTO TABLE `feedctl_load_fact_orders` CHARACTER SET utf8mb4" +
        " FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'" +
        ' (`_feedctl_seq`, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)',
    );
  });

  it('loads the same TSV straight into the feed table, skipping known keys, its sequence into a variable', () => {
    const columns = t.columns.map((c) => `\`${c}\``).join(', ');
    expect(bulkTemplate(t, 0).direct).toBe(
      "LOAD DATA LOCAL INFILE 'feedctl.tsv' IGNORE INTO TABLE `fact_orders` CHARACTER SET utf8mb4" +
        " FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'" +
        ` (@seq, ${columns})`,
    );
  });

  it('creates the temporary table without keys, its columns renamed, MEMORY only when allowed', () => {
    expect(bulkTemplate(t, 0).create.memory).toBeNull();
    const b = bulkTemplate(t, 5000);
    expect(b.create.memory).toMatch(
      /^CREATE TEMPORARY TABLE `feedctl_load_fact_orders` \(.*\) ENGINE=MEMORY SELECT /,
    );
    expect(b.create.innodb).toContain('ENGINE=InnoDB SELECT `event_id` AS c0, ');
    expect(b.create.innodb).toMatch(/ FROM `fact_orders` WHERE FALSE$/);
    expect(b.memoryRows).toBe(5000);
    expect(tempTableName('x'.repeat(64))).toHaveLength(64);
  });

  it('sizes MEMORY rows from the fields, refusing TEXT and JSON', () => {
    const s = (maxLength: number | null) => field('s', { kind: 'string', maxLength });
    expect(memoryRowBytes([s(64), field('n', { kind: 'int' })])).toBe(64 + 258 + 16);
    expect(memoryRowBytes([s(null)])).toBeNull();
    expect(memoryRowBytes([s(5000)])).toBeNull();
    expect(memoryRowBytes([field('j', { kind: 'json' })])).toBeNull();
  });
});

describe('bulk path TSV', () => {
  it("escapes LOAD DATA's specials and writes NULL as \\N", () => {
    expect(tsvField(null)).toBe('\\N');
    expect(tsvField('\\N')).toBe('\\\\N');
    expect(tsvField('a\tb\nc\rd\\e\u0000f')).toBe('a\\tb\\nc\\rd\\\\e\\0f');
    expect(tsvField('')).toBe('');
    expect(tsvField(-0.5)).toBe('-0.5');
    expect(tsvField('9999999999999999999999999999.9999999999')).toBe(
      '9999999999999999999999999999.9999999999',
    );
  });

  it('numbers the rows from the given sequence, one line each, in UTF-8', () => {
    const rows = [{ values: ['é 🎉', null, 3] }, { values: ['x\ty', '1.50', 0] }];
    expect(tsv(rows, 7).toString('utf8')).toBe('7\té 🎉\t\\N\t3\n8\tx\\ty\t1.50\t0\n');
    expect(tsv(rows, 7)).toEqual(Buffer.from('7\té 🎉\t\\N\t3\n8\tx\\ty\t1.50\t0\n', 'utf8'));
  });
});
