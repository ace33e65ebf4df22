/** The retention report for a terminal (pure): per feed, what goes (or would), what was kept and why, totals. */
import type { RetentionReport } from './job.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function renderRetention(r: RetentionReport): string {
  const lines: string[] = [];
  const verb = r.dryRun ? 'would delete' : 'deleted';
  for (const f of r.feeds) {
    const policy = f.type === 'stream' ? `keep ${f.policy.days} days` : `keep ${f.policy.versions} versions`;
    const action =
      f.action === 'skipped' ? 'skipped' : f.action === 'report' ? 'auto_delete: false, would delete' : verb;
    lines.push(
      `${f.feed} (${f.type}, ${policy}): ${f.items.length === 0 && f.action !== 'skipped' ? 'nothing to delete' : action}`,
    );
    for (const i of f.items) {
      const size = i.destination === 'lake' ? `${i.files} files, ${mb(i.bytes)}` : `${i.rows} rows`;
      lines.push(`  - ${i.kind} ${i.target}: ${size}`);
    }
    for (const s of f.skipped) lines.push(`  kept: ${s}`);
    if (f.error) lines.push(`  FAILED: ${f.error}`);
  }
  lines.push(...totalLines(r));
  return `${lines.join('\n')}\n`;
}

function totalLines(r: RetentionReport): string[] {
  if (r.dryRun) return [`Total: ${totals(r.totals)} would go.`];
  const deleted = sum(r.feeds.flatMap((f) => f.items.slice(0, f.deleted)));
  const reported = sum(r.feeds.filter((f) => f.action === 'report').flatMap((f) => f.items));
  const out = [`Total: ${totals(deleted)} deleted.`];
  if (reported.files + reported.rows > 0) out.push(`Would go with auto_delete on: ${totals(reported)}.`);
  return out;
}

type Totals = RetentionReport['totals'];

function sum(items: Totals[]): Totals {
  const zero: Totals = { files: 0, bytes: 0, rows: 0 };
  return items.reduce(
    (t, i) => ({ files: t.files + i.files, bytes: t.bytes + i.bytes, rows: t.rows + i.rows }),
    zero,
  );
}

function totals(t: Totals): string {
  return `${t.files} files (${mb(t.bytes)}) and ${t.rows} warehouse rows`;
}
