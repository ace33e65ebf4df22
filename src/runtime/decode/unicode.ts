/**
 * Strings JavaScript can hold but UTF-8 cannot: lone UTF-16 surrogates, which a JSON `\ud83d` escape produces
 * (raw bytes are checked as UTF-8 before parsing, so escapes are the only way in). Both sinks would store them as
 * U+FFFD without a trace, so the decoder refuses them, or replaces them when the manifest asks
 * (`spec.schema.invalidUnicode`). Pure.
 */
import { JsonNumber } from './json.js';

/** With the `u` flag, a surrogate matches `\p{Cs}` only when it is not half of a pair. */
export const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATES = /\p{Cs}/gu;
/** A `\uD800`–`\uDFFF` escape with the run of backslashes before it (an even run is an escaped backslash). */
const SURROGATE_ESCAPE = /(\\+)u[dD][89a-fA-F][0-9a-fA-F]{2}/g;

/** `s` with each lone surrogate replaced by U+FFFD. */
export function replaceLoneSurrogates(s: string): string {
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATES, '\ufffd') : s;
}

/**
 * True when a parsed JSON value holds a lone surrogate in a string or an object key. Iterative: json field values
 * may nest as deeply as the parser allowed.
 */
export function hasLoneSurrogate(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return true;
    } else if (Array.isArray(v)) {
      for (const item of v) pending.push(item);
    } else if (v !== null && typeof v === 'object' && !(v instanceof JsonNumber)) {
      for (const [k, item] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/**
 * Compact JSON text (json.ts compactJson) with each lone surrogate as U+FFFD. JSON.stringify writes a surrogate
 * pair as its character and only a lone surrogate as a `\udXXX` escape, so every such escape is one.
 */
export function replaceSurrogateEscapes(json: string): string {
  return json.replace(SURROGATE_ESCAPE, (m, slashes: string) =>
    slashes.length % 2 === 1 ? `${slashes.slice(1)}\ufffd` : m,
  );
}
