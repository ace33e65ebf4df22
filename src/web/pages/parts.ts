/** Small pieces the status pages share: sync badges, times and ages, numbers, lag per partition. */
import type { DestinationStatus, FeedSyncStatus } from '../../status/model.js';
import { html, type Html, type Part } from '../html.js';

/** A CSS class per sync state (the text is always shown too: color is never the only signal). */
const SYNC_CLASS: Record<FeedSyncStatus['state'], string> = {
  'in sync': 'ok',
  'changes pending': 'info',
  drift: 'warn',
  blocked: 'bad',
  'invalid manifest': 'bad',
  failed: 'bad',
  unknown: 'muted',
};

export function syncBadge(state: FeedSyncStatus['state']): Html {
  return html`<span class="badge ${SYNC_CLASS[state]}" data-sync="${state}">${state}</span>`;
}

/** A badge for any short state: `running`, `stopped`, `published`… */
export function badge(text: string, kind: 'ok' | 'info' | 'warn' | 'bad' | 'muted'): Html {
  return html`<span class="badge ${kind}">${text}</span>`;
}

/** `12:03:04 (5 s ago)` in UTC, as a <time> with the full ISO value. */
export function when(iso: string | null, now: Date): Html {
  if (!iso) return html`<span class="muted">never</span>`;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return html`${iso}`;
  const label = t.toISOString().replace('T', ' ').slice(0, 19);
  return html`<time datetime="${iso}" title="${iso}">${label}</time>
    <span class="age">(${age(t, now)})</span>`;
}

/** `5 s ago`, `3 min ago`, `2 h ago`, `4 d ago`. */
export function age(t: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - t.getTime()) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** 1234567 → `1,234,567`; null → `—`. */
export function num(n: number | null): string {
  return n === null ? '—' : n.toLocaleString('en-US');
}

/** A destination's lag: the total, expandable (keyboard too: <details>) to one line per partition when not 0. */
export function lagCell(d: DestinationStatus, id: string): Html {
  const parts = Object.entries(d.lagByPartition).sort(([a], [b]) => Number(a) - Number(b));
  if (d.lag === null) return html`<span class="muted">unknown</span>`;
  if (parts.length === 0 || d.lag === 0) return html`${num(d.lag)}`;
  const lines = parts.map(([p, lag]) => html`<li>partition ${p}: ${num(lag)}</li>`);
  return html`<details id="${id}">
    <summary>${num(d.lag)}</summary>
    <ul class="plain">
      ${lines}
    </ul>
  </details>`;
}

/** A table of `rows` under one header row of `columns`, named by `label` for screen readers (and tests). */
export function dataTable(label: string, columns: Part[], rows: Html[]): Html {
  const head = columns.map((c) => html`<th scope="col">${c}</th>`);
  return html`<table aria-label="${label}">
    <thead>
      <tr>
        ${head}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}
