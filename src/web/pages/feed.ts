/**
 * `GET /feeds/<name>`: one feed — its state, manifest, last plan, consumers and the workers running them, dead
 * letters (coordinates and reasons, never values), snapshot ledger and audit rows. Server-rendered, escaped.
 */
import type { FeedDetail } from '../../status/model.js';
import { html, type Html } from '../html.js';
import { badge, dataTable, lagCell, num, syncBadge, when } from './parts.js';
import { workersTable } from './overview.js';

/** The <main> of a feed's page. */
export function renderFeed(d: FeedDetail, generatedAt: string): Html {
  const now = new Date(generatedAt);
  const f = d.feed;
  return html` <p class="crumbs"><a href="/">All feeds</a></p>
    <h1>${f.name} ${syncBadge(f.sync.state)}</h1>
    ${f.description ? html`<p class="desc">${f.description}</p>` : ''} ${facts(d, now)}
    <h2>Consumers</h2>
    ${consumers(d, now)}
    <h2>Workers running it</h2>
    ${workersTable(d.workers, now)}
    <h2>Dead letters</h2>
    ${deadLetters(d, now)}
    ${
      f.type === 'table'
        ? html`<h2>Snapshot ledger</h2>
            ${ledger(d, now)}`
        : ''
    }
    <h2>Last plan</h2>
    ${d.planText === null ? html`<p class="muted">No plan recorded yet.</p>` : html`<pre class="plan" tabindex="0" aria-label="last plan">${d.planText}</pre>`}
    <h2>Manifest</h2>
    ${
      d.manifest === null
        ? html`<p class="muted">Not recorded yet.</p>`
        : html`<p><code>${d.manifestPath ?? ''}</code></p>
            <pre class="manifest" tabindex="0" aria-label="manifest">${d.manifest}</pre>`
    }
    <h2>Audit journal <small>(newest ${d.audit.length})</small></h2>
    ${audit(d, now)}`;
}

/** Type, owner, topic, labels, sync state and retention, as a definition list. */
function facts(d: FeedDetail, now: Date): Html {
  const f = d.feed;
  const deleted = f.retention.lastDeletedAt
    ? html`; last deleted ${f.retention.lastDeleted} ${when(f.retention.lastDeletedAt, now)}`
    : '';
  return html`<dl class="facts" data-feed="${f.name}">
    <dt>Type</dt>
    <dd>${f.type ?? '—'}</dd>
    <dt>Owner</dt>
    <dd>${f.owner ?? '—'}</dd>
    <dt>Topic</dt>
    <dd><code>${f.topic ?? '—'}</code></dd>
    <dt>Enabled</dt>
    <dd>${f.enabled ? 'yes' : 'no'}</dd>
    <dt>Labels</dt>
    <dd>${Object.entries(f.labels).map(([k, v]) => html`<code>${k}=${v}</code> `)}</dd>
    <dt>Sync</dt>
    <dd data-col="sync">
      ${f.sync.state}${f.sync.detail ? html`: <span class="detail">${f.sync.detail}</span>` : ''}
      ${f.sync.since ? html`<span class="muted">since ${when(f.sync.since, now)}</span>` : ''}
    </dd>
    <dt>Retention</dt>
    <dd>${f.retention.policy ?? '—'}${deleted}</dd>
  </dl>`;
}

function consumers(d: FeedDetail, now: Date): Html {
  if (d.feed.destinations.length === 0) return html`<p class="muted">No consumers declared.</p>`;
  const rows = d.feed.destinations.map((x) => {
    const c = d.consumers.find((k) => k.destination === x.destination);
    const verdict = x.verdict === 'running' ? badge('running', 'ok') : badge(x.verdict, 'warn');
    return html`<tr data-destination="${x.destination}">
      <th scope="row">${x.destination}</th>
      <td>${x.generation} / ${x.runningGenerations.join(', ') || '—'}</td>
      <td>${verdict}</td>
      <td>${(c?.workers ?? []).join(', ') || '—'}</td>
      <td>${lagCell(x, `lag-${x.destination}`)}</td>
      <td>${x.perSecond1m} / ${x.perSecond5m}</td>
      <td>
        ${x.lastWrite ? html`${when(x.lastWrite.at, now)}${x.lastWrite.file ? html`<div class="file">${x.lastWrite.file}</div>` : ''}` : '—'}
      </td>
      <td>${x.detail ?? ''}</td>
    </tr>`;
  });
  return dataTable(
    'consumers',
    [
      'Destination',
      html`Generation<br /><small>declared / running</small>`,
      'State',
      'Workers',
      'Lag',
      html`Msg/s<br /><small>1 min / 5 min</small>`,
      'Last write',
      'Detail',
    ],
    rows,
  );
}

function deadLetters(d: FeedDetail, now: Date): Html {
  const topic = d.deadLetterTopic;
  const head = topic
    ? html`<p>
        Topic <code>${topic.name}</code>: ${num(topic.messages)}
        ${topic.messages === 1 ? 'message' : 'messages'}. Values are never shown here.
      </p>`
    : html`<p class="muted">Dead letters are not written for this feed.</p>`;
  const recent = d.feed.deadLetters.recent;
  if (recent.length === 0)
    return html`${head}
      <p class="muted">None since the consumers started.</p>`;
  const rows = recent.map(
    (r) =>
      html`<tr>
        <td>${when(r.at, now)}</td>
        <td>${r.destination}</td>
        <td>${r.partition}</td>
        <td>${r.offset}</td>
        <td>${r.stage}</td>
        <td>${r.reason}</td>
      </tr>`,
  );
  return html`${head}
  ${dataTable('recent dead letters', ['At', 'Destination', 'Partition', 'Offset', 'Stage', 'Reason'], rows)}`;
}

function ledger(d: FeedDetail, now: Date): Html {
  if (d.ledger.length === 0) return html`<p class="muted">No version yet.</p>`;
  const rows = d.ledger.map(
    (v) =>
      html`<tr>
        <th scope="row">v${v.version}</th>
        <td>${v.destination}</td>
        <td>${v.state}</td>
        <td>${v.snapshotDate ?? '—'}</td>
        <td>${num(v.rows)}</td>
        <td>${when(v.openedAt, now)}</td>
        <td>${v.publishedAt ? when(v.publishedAt, now) : '—'}</td>
        <td>${v.reason ?? ''}</td>
      </tr>`,
  );
  return dataTable(
    'snapshot ledger',
    ['Version', 'Destination', 'State', 'Snapshot date', 'Rows', 'Opened', 'Published', 'Reason'],
    rows,
  );
}

function audit(d: FeedDetail, now: Date): Html {
  if (d.audit.length === 0) return html`<p class="muted">No audit rows.</p>`;
  const rows = d.audit.map(
    (a) =>
      html`<tr>
        <td>${when(a.at, now)}</td>
        <td>${a.actor}</td>
        <td>${a.action}</td>
        <td>${a.kind}</td>
        <td><code>${a.id}</code></td>
        <td>${a.outcome === 'failed' ? badge('failed', 'bad') : a.outcome}</td>
        <td>${a.error ?? ''}</td>
      </tr>`,
  );
  return dataTable('audit journal', ['At', 'Actor', 'Action', 'Kind', 'Resource', 'Outcome', 'Error'], rows);
}
