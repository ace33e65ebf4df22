/**
 * SQL identifiers. Values are always bound as parameters; identifiers cannot be, so every identifier that reaches
 * SQL text passes through {@link quoteIdent}, which accepts only a safe subset and backtick-quotes it.
 */
import { FeedctlError } from '../errors.js';

/** Letters, digits and underscore, not starting with a digit, at most 64 characters (MySQL's limit). */
export const SAFE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** True when `name` may be used as a MySQL identifier by feedctl. */
export function isSafeIdentifier(name: string): boolean {
  return SAFE_IDENTIFIER.test(name);
}

/** Validates and backtick-quotes an identifier; throws INVALID_IDENTIFIER otherwise. */
export function quoteIdent(name: string): string {
  if (!isSafeIdentifier(name)) {
    throw new FeedctlError('INVALID_IDENTIFIER', `not a safe identifier: ${JSON.stringify(name)}`, {
      subsystem: 'mysql',
      action: 'quote identifier',
    });
  }
  return `\`${name}\``;
}
