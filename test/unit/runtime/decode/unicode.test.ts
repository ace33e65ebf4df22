/**
 * Lone UTF-16 surrogates (JSON `\ud83d` escapes) cannot be stored as UTF-8: refused by default, replaced by U+FFFD
 * when `spec.schema.invalidUnicode` is `replace`. Pairs, and text that only looks like an escape, pass unchanged.
 */
import { describe, expect, it } from 'vitest';
import type { FieldType } from '../../../../src/feeds/types.js';
import { decodeField, error, PATHS, type Outcome } from './decode-helpers.js';

const STRING: FieldType = { kind: 'string', maxLength: 16 };
const JSON_FIELD: FieldType = { kind: 'json' };
const LONE = 'must not contain a lone UTF-16 surrogate';

const REJECT: [FieldType, string, Outcome][] = [
  [STRING, '"\\ud83d"', error(`/v: ${LONE} (got "\\ud83d")`)],
  [STRING, '"\\ud83d\\ude00"', '😀'],
  [STRING, '"\\\\ud83d"', '\\ud83d'],
  [JSON_FIELD, '{"a":"\\ud83d"}', error(`/v: ${LONE} (got {"a":"\\ud83d"})`)],
  [JSON_FIELD, '{"\\udc00":1}', error(`/v: ${LONE} (got {"\\udc00":1})`)],
  [JSON_FIELD, '[[["x\\udbff"]]]', error(`/v: ${LONE} (got [[["x\\udbff"]]])`)],
  [JSON_FIELD, '"\\ud83d\\ude00"', '"😀"'],
  [JSON_FIELD, '"\\\\ud83d"', '"\\\\ud83d"'],
];

const REPLACE: [FieldType, string, Outcome][] = [
  [STRING, '"a\\ud83d"', 'a\ufffd'],
  [STRING, '"\\udc00\\ud800"', '\ufffd\ufffd'],
  [STRING, '"\\ud83d\\ude00"', '😀'],
  [JSON_FIELD, '{"a":"\\ud83d","\\udc00":["\\\\ud83d"]}', '{"a":"\ufffd","\ufffd":["\\\\ud83d"]}'],
  [JSON_FIELD, '"\\\\\\ud83d"', '"\\\\\ufffd"'],
  [JSON_FIELD, '"\\ud83d\\ude00"', '"😀"'],
];

describe.each(PATHS)('lone surrogates (%s path)', (path) => {
  it.each(REJECT)('rejects by default: %j %s', (type, json, expected) => {
    expect(decodeField(type, json, path)).toEqual(expected);
  });

  it.each(REPLACE)('replaces on request: %j %s', (type, json, expected) => {
    expect(decodeField(type, json, path, false, 'replace')).toEqual(expected);
  });
});
