/** Human text rendering of a plan, in the manner of `terraform plan`; colour only when asked (a TTY). */
import type { Change, Plan, PlanError } from '../types.js';
import { fieldLines, NO_CHANGES, summaryLine, SYMBOL, verdict, type FieldLine } from './values.js';

const COLORS: Record<string, string> = { '+': '32', '~': '33', '>': '36', '-': '31', '!': '31' };

function painter(color: boolean) {
  return (code: string, text: string) => (color ? `\x1b[${COLORS[code] ?? '0'}m${text}\x1b[0m` : text);
}

function changeBlock(c: Change, paint: ReturnType<typeof painter>): string[] {
  const sym = SYMBOL[c.action];
  const feed = c.feed ? `  (feed ${c.feed})` : '';
  const flag = c.destructive ? `  ${paint('!', 'DESTRUCTIVE')}` : '';
  const head = `  ${paint(sym, `${sym} ${c.kind} ${c.id}`)}${feed}${flag}`;
  const body = fieldLines(c).map((l) => `      ${paint(l.op, l.op)} ${fieldText(l)}`);
  return [head, `      # ${c.reason}`, ...body, ''];
}

function fieldText(l: FieldLine): string {
  if (l.op === '~') return `${l.path}: ${l.before} → ${l.after}`;
  return `${l.path}: ${l.op === '+' ? l.after : l.before}`;
}

function errorBlock(e: PlanError, paint: ReturnType<typeof painter>): string[] {
  return [`  ${paint('!', `! ${e.kind} ${e.id}`)}: ${e.message}`, `      way out: ${e.remedy}`, ''];
}

export function renderText(plan: Plan, opts: { color: boolean }): string {
  const paint = painter(opts.color);
  const rev = plan.sourceRevision ? `source revision ${plan.sourceRevision}` : 'manifests not in git';
  const lines = [`feedctl plan ${plan.id} (${rev})`, ''];
  if (plan.changes.length === 0 && plan.errors.length === 0) return `${lines.join('\n')}${NO_CHANGES}\n`;
  if (plan.changes.length > 0) lines.push('feedctl will perform the following actions:', '');
  for (const c of plan.changes) lines.push(...changeBlock(c, paint));
  if (plan.errors.length > 0) lines.push('Errors:', '');
  for (const e of plan.errors) lines.push(...errorBlock(e, paint));
  lines.push(summaryLine(plan));
  const v = verdict(plan);
  if (v) lines.push(v);
  return `${lines.join('\n')}\n`;
}
