/** Markdown rendering of a plan, for a pull-request comment: summary, a table of changes, details, errors. */
import type { Change, Plan } from '../types.js';
import { fieldLines, NO_CHANGES, summaryLine, SYMBOL, verdict } from './values.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function details(c: Change): string[] {
  const lines = fieldLines(c).map((l) =>
    l.op === '~'
      ? `~   ${l.path}: ${l.before} → ${l.after}`
      : `${l.op}   ${l.path}: ${l.op === '+' ? l.after : l.before}`,
  );
  return [`${SYMBOL[c.action]} ${c.kind} ${c.id}`, ...lines];
}

export function renderMarkdown(plan: Plan): string {
  const out = [
    `### feedctl plan`,
    '',
    `Plan \`${plan.id}\`${plan.sourceRevision ? ` at \`${plan.sourceRevision}\`` : ''}`,
    '',
  ];
  if (plan.changes.length === 0 && plan.errors.length === 0) return `${[...out, NO_CHANGES].join('\n')}\n`;
  out.push(`**${summaryLine(plan)}**`, '');
  const v = verdict(plan);
  if (v) out.push(`> ${v}`, '');
  if (plan.changes.length > 0) {
    out.push('| action | kind | resource | feed | why |', '| --- | --- | --- | --- | --- |');
    for (const c of plan.changes) {
      const action = `${c.action}${c.destructive ? ' ⚠️ destructive' : ''}`;
      out.push(`| ${action} | ${c.kind} | \`${cell(c.id)}\` | ${c.feed ?? ''} | ${cell(c.reason)} |`);
    }
    out.push('', '<details><summary>Field-level changes</summary>', '', '```diff');
    for (const c of plan.changes) out.push(...details(c), '');
    out.push('```', '', '</details>', '');
  }
  if (plan.errors.length > 0) {
    out.push('#### Errors', '');
    for (const e of plan.errors)
      out.push(`- **${e.kind} \`${cell(e.id)}\`**: ${cell(e.message)}. Way out: ${cell(e.remedy)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
