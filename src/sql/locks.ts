/**
 * Names of MySQL named locks (GET_LOCK). Those locks are server-wide, not per database, so every name feedctl
 * takes is namespaced by its database: two installations on one MySQL server never exclude each other.
 */
import { createHash } from 'node:crypto';

/** MySQL's longest named-lock name, in characters (longer ones fail with ER_USER_LOCK_WRONG_NAME). */
export const LOCK_NAME_MAX = 64;

/** Hex digits of the SHA-256 that ends a name too long to use as it is (128 bits). */
const HASH_CHARS = 32;

/**
 * The lock name `feedctl.<database>.<part>.<part>…`; when longer than {@link LOCK_NAME_MAX}, its first
 * characters, a dot and the first {@link HASH_CHARS} hex digits of the full name's SHA-256 (still readable and
 * still distinct per full name).
 */
export function lockName(database: string, ...parts: string[]): string {
  const full = ['feedctl', database, ...parts].join('.');
  if (full.length <= LOCK_NAME_MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_CHARS);
  return `${full.slice(0, LOCK_NAME_MAX - HASH_CHARS - 1)}.${hash}`;
}
