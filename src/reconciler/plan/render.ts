/** Plan rendering entry point: text (terraform-like), JSON (the plan data itself) or Markdown (PR comments). */
import { renderMarkdown } from './render/markdown.js';
import { renderText } from './render/text.js';
import type { Plan } from './types.js';

export type OutputFormat = 'text' | 'json' | 'markdown';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'markdown'];

export function renderPlan(plan: Plan, format: OutputFormat, opts: { color: boolean }): string {
  if (format === 'json') return `${JSON.stringify(plan, null, 2)}\n`;
  if (format === 'markdown') return renderMarkdown(plan);
  return renderText(plan, opts);
}
