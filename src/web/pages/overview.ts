/** `GET /`: every feed in one table, then the workers and the watch controllers. Server-rendered, escaped. */
import { invalidLine } from '../../control/controllers.js';
import type {
  ControllerView,
  DestinationStatus,
  FeedStatus,
  StatusModel,
  WorkerView,
} from '../../status/model.js';
import { html, join, type Html } from '../html.js';
import { age, badge, dataTable, lagCell, num, syncBadge, when } from './parts.js';

/** The <main> of the overview page. */
export function renderOverview(model: StatusModel): Html {
  const now = new Date(model.generatedAt);
  return html` <h1>Feeds <span class="count">${model.feeds.length}</span></h1>
    ${summary(model)} ${invalidFiles(model)}
    <div class="scroll">
      <table class="feeds" aria-label="feeds">
        <thead>
          <tr>
            <th scope="col">Feed</th>
            <th scope="col">Type</th>
            <th scope="col">Owner</th>
            <th scope="col">Enabled</th>
            <th scope="col">Sync</th>
            <th scope="col">Generation<br /><small>declared/running, lake · warehouse</small></th>
            <th scope="col">Lag<br /><small>lake · warehouse</small></th>
            <th scope="col">Msg/s<br /><small>1 min/5 min, lake · warehouse</small></th>
            <th scope="col">Last write<br /><small>lake · warehouse</small></th>
            <th scope="col">Dead letters</th>
            <th scope="col">Snapshots</th>
            <th scope="col">Retention</th>
          </tr>
        </thead>
        <tbody>
          ${model.feeds.map((f) => feedRow(f, now))}
        </tbody>
      </table>
    </div>
    ${model.feeds.length === 0 ? html`<p class="muted">No feeds yet: add a manifest to feeds/ and reconcile.</p>` : ''}
    <h2>Workers <span class="count">${model.workers.length}</span></h2>
    ${workersTable(model.workers, now)}
    <h2>Watch controllers</h2>
    ${controllers(model.controllers, now)}`;
}

function summary(model: StatusModel): Html {
  const counts = new Map<string, number>();
  for (const f of model.feeds) counts.set(f.sync.state, (counts.get(f.sync.state) ?? 0) + 1);
  const items = [...counts].map(
    ([state, n]) => html`<li>${syncBadge(state as FeedStatus['sync']['state'])} ${n}</li>`,
  );
  return html`<ul class="summary" aria-label="feeds by sync state">
    ${items}
    <li>updated ${when(model.generatedAt, new Date(model.generatedAt))}</li>
  </ul>`;
}

function invalidFiles(model: StatusModel): Html | string {
  if (model.invalid.length === 0) return '';
  const items = model.invalid.map((i) => html`<li class="diag">${invalidLine(i)}</li>`);
  return html`<section class="alert" aria-label="invalid manifests">
    <h2>Invalid manifests</h2>
    <ul>
      ${items}
    </ul>
  </section>`;
}

/**
 * One feed, with as few elements as the facts allow (a page of 500 feeds must load in well under 300 ms): the
 * per-destination columns show `lake · warehouse`, exact times, file keys and older reasons on hover.
 */
function feedRow(f: FeedStatus, now: Date): Html {
  const d = f.destinations;
  const sync = f.sync.detail ? html`<div class="detail">${f.sync.detail}</div>` : '';
  const desc = f.description ? html`<div class="desc">${f.description}</div>` : '';
  const deleted = f.retention.lastDeletedAt
    ? html`<div class="detail">
        deleted ${f.retention.lastDeleted} ${ago(f.retention.lastDeletedAt, now)}
      </div>`
    : '';
  const generation = (x: DestinationStatus) => `${x.generation}/${x.runningGenerations.join(',') || '—'}`;
  // prettier-ignore
  return html`<tr data-feed="${f.name}"><th scope="row"><a href="/feeds/${encodeURIComponent(f.name)}">${f.name}</a>${desc}</th><td>${f.type ?? '—'}</td><td>${f.owner ?? '—'}</td><td>${f.enabled ? 'yes' : badge('disabled', 'muted')}</td><td data-col="sync">${syncBadge(f.sync.state)}${sync}</td><td data-col="generation">${pair(d, generation)}</td><td data-col="lag">${pair(d, (x) => lagCell(x, `lag-${f.name}-${x.destination}`))}</td><td data-col="rate">${pair(d, (x) => `${x.perSecond1m}/${x.perSecond5m}`)}</td><td data-col="write">${pair(d, (x) => lastWrite(x, now))}</td><td data-col="dlq">${deadLetters(f)}</td><td data-col="snapshots">${snapshots(f)}</td><td data-col="retention">${f.retention.policy ?? '—'}${deleted}</td></tr>
`;
}

/** `lake · warehouse`: a destination the feed does not write shows `—`. */
function pair(destinations: DestinationStatus[], cell: (d: DestinationStatus) => Html | string): Html {
  return join(
    (['lake', 'warehouse'] as const).map((name) => {
      const d = destinations.find((x) => x.destination === name);
      return d ? cell(d) : '—';
    }),
    ' · ',
  );
}

/** `7 s ago`, the exact time (and `more`) on hover. */
function ago(iso: string, now: Date, more = ''): Html {
  return html`<span title="${iso}${more}">${age(new Date(iso), now)}</span>`;
}

/** When; the lake's file key on hover. */
function lastWrite(d: DestinationStatus, now: Date): Html | string {
  const w = d.lastWrite;
  if (!w) return 'none';
  return ago(w.at, now, w.file ? ` ${w.file}` : '');
}

/** The count, and the newest reason (the last three on hover). */
function deadLetters(f: FeedStatus): Html {
  const recent = f.deadLetters.recent;
  const first = recent[0];
  if (!first) return html`${num(f.deadLetters.count)}`;
  const all = recent
    .slice(0, 3)
    .map((r) => `${r.stage}: ${r.reason}`)
    .join('\n');
  return html`${num(f.deadLetters.count)}
    <div class="reasons" title="${all}">${first.stage}: ${first.reason}</div>`;
}

function snapshots(f: FeedStatus): Html | string {
  if (f.type !== 'table') return '—';
  if (f.snapshots.length === 0) return html`<span class="muted">none yet</span>`;
  return join(
    f.snapshots.map((s) => {
      const open = s.pending.map((p) => `v${p.version} ${p.state} (${p.partitionsSealed}/${p.partitions})`);
      const published = s.published ? `v${s.published.version}` : 'none';
      return html`<div class="dest">
        <span class="dname">${s.destination}</span> published
        ${published}${open.length > 0 ? `, open ${open.join(', ')}` : ''}${s.incomplete ? html`, <span class="bad">v${s.incomplete.version} incomplete</span>` : ''}
      </div>`;
    }),
  );
}

/** Live workers, with their heartbeats. */
export function workersTable(workers: WorkerView[], now: Date): Html {
  if (workers.length === 0) return html`<p class="muted">No live worker: start <code>feedctl run</code>.</p>`;
  const rows = workers.map(
    (w) =>
      html`<tr>
        <th scope="row">${w.instanceId}</th>
        <td>${w.host}</td>
        <td>${w.destinations}</td>
        <td>${when(w.heartbeatAt, now)}</td>
        <td>${w.warehouseLoadPath ?? '—'}</td>
      </tr>`,
  );
  return dataTable('workers', ['Worker', 'Host', 'Destinations', 'Last heartbeat', 'Warehouse writes'], rows);
}

function controllers(list: ControllerView[], now: Date): Html {
  if (list.length === 0) return html`<p class="muted">No watch controller in the last hour.</p>`;
  const rows = list.map((c) => {
    const r = c.lastRun;
    const breaker = r.outcome === 'breaker' ? badge('tripped', 'bad') : badge('closed', 'ok');
    const outcome = r.outcome === 'failed' ? badge('failed', 'bad') : html`${r.outcome}`;
    return html`<tr>
      <th scope="row">${c.instanceId}</th>
      <td>${c.host}</td>
      <td>${r.trigger}</td>
      <td>
        ${outcome} ${r.reasons.length > 0 ? html`<div class="detail">${r.reasons.join('; ')}</div>` : ''}
      </td>
      <td>${when(r.at, now)}</td>
      <td>${breaker}</td>
    </tr>`;
  });
  return dataTable(
    'watch controllers',
    ['Controller', 'Host', 'Last reconcile', 'Outcome', 'At', 'Breaker'],
    rows,
  );
}
