import { describe, expect, it } from 'vitest';
import {
  isWidening,
  normalizeCollation,
  normalizeColumnType,
  normalizeDefault,
  normalizeExtra,
} from '../../../src/reconciler/tables/normalize.js';

describe('information_schema normal forms', () => {
  it.each([
    ['int(11)', null, 'int'],
    ['bigint(20) unsigned', null, 'bigint unsigned'],
    ['tinyint(1)', null, 'tinyint(1)'],
    ['VARCHAR(64)', 'utf8mb4_unicode_ci', 'varchar(64)'],
    ['longtext', 'utf8mb4_bin', 'json'],
    ['longtext', 'utf8mb4_unicode_ci', 'longtext'],
    ['decimal(15,2)', null, 'decimal(15,2)'],
  ])('%s (%s) → %s', (raw, collation, normal) => {
    expect(normalizeColumnType(raw, collation)).toBe(normal);
  });

  it.each([
    ['varchar(64)', 'utf8mb4_nopad_bin', 'utf8mb4_nopad_bin'],
    ['mediumtext', 'utf8mb4_unicode_ci', 'utf8mb4_unicode_ci'],
    ['json', 'utf8mb4_bin', null],
    ['int', null, null],
  ])('collation of %s (%s) → %s', (type, collation, normal) => {
    expect(normalizeCollation(type, collation)).toBe(normal);
  });

  it('reads MySQL 8 and MariaDB defaults and extras the same way', () => {
    expect(normalizeDefault('current_timestamp()')).toBe('current_timestamp');
    expect(normalizeDefault('CURRENT_TIMESTAMP')).toBe('current_timestamp');
    expect(normalizeDefault('NULL')).toBeNull();
    expect(normalizeDefault(null)).toBeNull();
    expect(normalizeExtra('on update current_timestamp()')).toBe('on update current_timestamp');
    expect(normalizeExtra('DEFAULT_GENERATED on update CURRENT_TIMESTAMP')).toBe(
      'on update current_timestamp',
    );
    expect(normalizeExtra('DEFAULT_GENERATED')).toBeNull();
    expect(normalizeExtra('')).toBeNull();
  });
});

describe('widening', () => {
  it.each([
    ['varchar(64)', 'varchar(200)', true],
    ['varchar(200)', 'varchar(50)', false],
    ['varchar(1024)', 'text', true],
    ['text', 'mediumtext', true],
    ['mediumtext', 'varchar(100)', false],
    ['int', 'bigint', true],
    ['bigint', 'int', false],
    ['float', 'double', true],
    ['decimal(15,2)', 'decimal(17,4)', true],
    ['decimal(15,2)', 'decimal(15,4)', false],
    ['decimal(15,2)', 'decimal(15,1)', false],
    ['date', 'datetime(3)', true],
    ['int', 'varchar(10)', false],
    ['json', 'json', true],
  ])('%s → %s is widening: %s', (from, to, expected) => {
    expect(isWidening(from, to)).toBe(expected);
  });
});
