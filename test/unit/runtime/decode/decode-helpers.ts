/**
 * Shared by the decode unit tests: raw messages and one-field feeds decoded on either parse path.
 */
import type { FieldType, InvalidUnicode } from '../../../../src/feeds/types.js';
import { createDecoder, isFailure, type RawMessage } from '../../../../src/runtime/decode/decoder.js';
import type { FieldValue } from '../../../../src/runtime/record.js';
import { feedSpec, field } from '../../../helpers/feed-spec.js';

/** A raw message at partition 0, offset 7, record timestamp 1000. */
export function message(value: string | Buffer | null, over: Partial<RawMessage> = {}): RawMessage {
  const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return { partition: 0, offset: 7, timestampMs: 1000, key: null, value: v, headers: {}, ...over };
}

export type Path = 'fast' | 'lossless';

/** What decoding one field gave: its value, or the failure message. */
export type Outcome = FieldValue | { error: string };

/** The expected outcome of a refused value. */
export const error = (message: string): Outcome => ({ error: message });

/**
 * Decodes `{"v": <json>}` for a feed whose only field `v` has type `t`. The lossless path is forced by a second,
 * nullable json field; a field that needs it (decimal, bigint, json) takes it on both paths.
 */
export function decodeField(
  t: FieldType,
  json: string,
  path: Path = 'fast',
  nullable = false,
  invalidUnicode: InvalidUnicode = 'reject',
): Outcome {
  const fields = [field('v', t, nullable)];
  if (path === 'lossless') fields.push(field('pad', { kind: 'json' }, true));
  const spec = feedSpec({ fields, key: [], eventTimeField: null, invalidUnicode });
  const out = createDecoder(spec, 1).decode(message(`{"v":${json}}`));
  return isFailure(out) ? { error: out.message } : (out.values[0] ?? null);
}

/** Both parse paths, for `describe.each`. */
export const PATHS: Path[] = ['fast', 'lossless'];
