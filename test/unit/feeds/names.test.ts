/** Identifier rules per kind of name, and MySQL's reserved words. */
import { describe, expect, it } from 'vitest';
import { nameProblem } from '../../../src/feeds/names.js';
import { MYSQL_RESERVED_WORDS, isReservedWord } from '../../../src/feeds/reserved-words.js';

describe('MySQL reserved words', () => {
  it('embeds the (R) list of MySQL 8.0, compared case-insensitively', () => {
    expect(MYSQL_RESERVED_WORDS.size).toBeGreaterThan(250);
    for (const w of ['select', 'ORDER', 'Key', 'lateral', 'intersect', 'row_number', 'utc_timestamp']) {
      expect(isReservedWord(w), w).toBe(true);
    }
  });

  it('leaves keywords that are not reserved alone (the seed uses timestamp and event)', () => {
    for (const w of ['timestamp', 'event', 'date', 'status', 'name', 'user', 'comment', 'data']) {
      expect(isReservedWord(w), w).toBe(false);
    }
  });
});

describe('nameProblem', () => {
  it.each([
    ['feed', 'customer_events', null],
    ['feed', 'order', null],
    ['table', 'order', 'is a MySQL reserved word'],
    ['column', 'desc', 'is a MySQL reserved word'],
    ['role', 'select', 'is a MySQL reserved word'],
    ['column', '_lineage', null],
    ['table', 'x'.repeat(57), null],
    ['table', 'x'.repeat(58), 'is 58 characters long; at most 57 are allowed'],
    ['role', 'r'.repeat(33), 'at most 32 are allowed'],
    ['topic', 'Orders.V1-x_y', null],
    ['topic', 't'.repeat(250), 'at most 249 are allowed'],
    ['topic', '.', 'is not a valid Kafka topic name'],
    ['topic', '__internal', 'is not a valid Kafka topic name'],
    ['topic', 'a..b', '(found "..")'],
    [
      'feed',
      '9lives',
      'is not a safe name: use lower-case letters, digits and underscores, starting with a letter',
    ],
    ['feed', 'tab\there', '(found control character U+0009)'],
    ['labelKey', 'app.kubernetes.io/name', null],
    ['labelKey', '-team', 'is not a valid label key'],
  ] as const)('%s %j', (kind, value, problem) => {
    const actual = nameProblem(kind, value);
    if (problem === null) expect(actual).toBeNull();
    else expect(actual).toContain(problem);
  });
});
