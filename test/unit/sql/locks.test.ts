/** Named-lock names: namespaced by database, at most MySQL's 64 characters, hashed only when longer. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LOCK_NAME_MAX, lockName } from '../../../src/sql/locks.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('lockName', () => {
  it('is feedctl.<database>.<parts> when that fits', () => {
    expect(lockName('data_warehouse', 'retention')).toBe('feedctl.data_warehouse.retention');
    expect(lockName('dw', 'snapshot', 'prices', 'lake')).toBe('feedctl.dw.snapshot.prices.lake');
  });

  it('differs between databases, so two installations on one server never share a lock', () => {
    expect(lockName('dw_a', 'retention')).not.toBe(lockName('dw_b', 'retention'));
  });

  it('keeps a name of exactly 64 characters and hashes one of 65', () => {
    const at64 = lockName('d'.repeat(64 - 'feedctl..x'.length), 'x');
    expect(at64).toHaveLength(64);
    expect(at64).toMatch(/^feedctl\.d+\.x$/);
    const full = `feedctl.${'d'.repeat(64 - 'feedctl..x'.length + 1)}.x`;
    const at65 = lockName('d'.repeat(64 - 'feedctl..x'.length + 1), 'x');
    expect(at65).toHaveLength(LOCK_NAME_MAX);
    expect(at65).toBe(`${full.slice(0, 31)}.${sha256(full).slice(0, 32)}`);
  });

  it('hashes a long name to 64 characters: its head, a dot and 32 hex digits of the full name', () => {
    const db = 'ft_table_feed_shared_abc123_123456';
    const name = lockName(db, 'snapshot', 'a_rather_long_feed_name_for_prices', 'warehouse');
    expect(name).toHaveLength(64);
    expect(name.startsWith('feedctl.ft_table_feed_shared_a')).toBe(true);
    expect(name).toMatch(/\.[0-9a-f]{32}$/);
    expect(lockName(db, 'snapshot', 'a_rather_long_feed_name_for_prices', 'warehouse')).toBe(name);
  });

  it('gives long names that share their head distinct locks', () => {
    const db = 'x'.repeat(60);
    const names = ['lake', 'warehouse'].map((d) => lockName(db, 'snapshot', 'prices', d));
    expect(names[0]!.slice(0, 31)).toBe(names[1]!.slice(0, 31));
    expect(names[0]).not.toBe(names[1]);
  });
});
