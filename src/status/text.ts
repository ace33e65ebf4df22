/** `feedctl status` (and `reconcile`'s status after an apply) for a terminal: one line per feed (sync state, why), then workers, consumers, snapshots, controllers. */
import { renderController } from '../control/controllers.js';
import { renderSnapshot } from '../control/snapshots.js';
import type { StatusView } from '../control/status.js';
import type { FeedStatus, StatusModel } from './model.js';

export function renderStatusModel(m: StatusModel): string {
  const lines = [`Feeds (${m.feeds.length}):`, ...m.feeds.map(feedLine)];
  return `${lines.join('\n')}\n${renderStatus(m)}`;
}

function feedLine(f: FeedStatus): string {
  const enabled = f.enabled ? '' : '  (disabled)';
  const detail = f.sync.detail && f.sync.state !== 'in sync' ? `: ${f.sync.detail}` : '';
  return `  ${f.name}  ${f.type ?? '?'}  ${f.sync.state.toUpperCase()}${detail}${enabled}`;
}

/** Workers, consumers, snapshots and controllers, for a terminal. */
export function renderStatus(s: StatusView): string {
  const lines = [`Workers (${s.workers.length} alive):`];
  for (const w of s.workers) {
    lines.push(`  ${w.instanceId}  ${w.host}  ${w.destinations}  last heartbeat ${w.heartbeatAt}`);
    if (w.warehouseLoadPath) lines.push(`    warehouse writes: ${w.warehouseLoadPath}`);
  }
  lines.push(`Consumers (${s.consumers.length} declared):`);
  for (const c of s.consumers) {
    const lag = c.lag === null ? '' : `  lag ${c.lag}`;
    const detail = c.detail ? `  (${c.detail})` : '';
    lines.push(`  ${c.feed}/${c.destination}  generation ${c.generation}  ${c.verdict}${lag}${detail}`);
  }
  if (s.snapshots.length > 0) lines.push('Snapshots (table feeds):', ...s.snapshots.map(renderSnapshot));
  if (s.controllers.length > 0) lines.push('Watch controllers:', ...s.controllers.map(renderController));
  return `${lines.join('\n')}\n`;
}
