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
  const t = r.totals;
  lines.push(
    `Total: ${t.files} files (${mb(t.bytes)}) and ${t.rows} warehouse rows ${r.dryRun ? 'would go' : 'in scope'}.`,
  );
  return `${lines.join('\n')}\n`;
}
