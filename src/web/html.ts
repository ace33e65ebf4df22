/**
 * HTML that cannot forget to escape: the {@link html} tag escapes every interpolated value unless it is already
 * {@link Html} (the output of another `html` or of {@link join}). Manifest strings (descriptions, labels, names),
 * error texts and file names only ever reach the page through it.
 */

/** A piece of markup that is safe to send as is. */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What may be interpolated: markup, text (escaped), numbers, or nothing (null/undefined/false render empty). */
export type Part = Html | string | number | boolean | null | undefined | Part[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(part: Part): string {
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
}

/** Tagged template: the literal parts are markup, every `${value}` is escaped (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Parts joined with a separator (both escaped unless markup). */
export function join(parts: Part[], separator: Part = ''): Html {
  return new Html(parts.map(render).join(render(separator)));
}
