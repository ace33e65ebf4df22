/**
 * Each feed's sync state from one compare (pure): the plan, how the run ended and the broken manifests, against the
 * states recorded before. In order: a broken manifest is `invalid manifest`; a plan error or a failed run with
 * changes for the feed is `failed`; a breaker that refused them is `blocked`; no changes, or changes just applied,
 * is `in sync` (and the spec is remembered as applied); changes for a spec equal to the one last applied are `drift`
 * (Kafka or MySQL changed, the manifest did not); other changes are `changes pending`. A read-only refresh leaves a
 * feed `blocked` or `failed` while its changes remain: only a run knows whether the breaker or the apply still refuses.
 */
import { createHash } from 'node:crypto';
import type { FeedSummary, FeedSync, FeedSyncState, SyncState } from '../control/feed-sync.js';
import type { FeedSpec } from '../feeds/types.js';
import type { Change, Plan } from '../reconciler/plan/types.js';
import type { InvalidFile } from './last-good.js';

/** How the compare ended: a read-only refresh, or a run's outcome. */
export type CompareOutcome = 'refresh' | 'in sync' | 'applied' | 'breaker' | 'failed';

/** What {@link syncStates} classifies. */
export interface CompareInput {
  plan: Plan;
  /** The feeds planned (valid manifests, and broken ones' last valid specs). */
  feeds: FeedSpec[];
  invalid: InvalidFile[];
  outcome: CompareOutcome;
  /** The breaker's reasons, or what failed. */
  reasons: string[];
  previous: Map<string, FeedSyncState>;
  manifests: Map<string, string | null>;
  at: string;
  recordedBy: string;
}

/** The hash of a feed's normalized spec (wherever its file lives). */
export function specHash(spec: FeedSpec): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...spec, manifestPath: '' }))
    .digest('hex');
}

/** One row per planned feed. */
export function syncStates(input: CompareInput): FeedSync[] {
  return input.feeds.map((spec) => feedSync(spec, input));
}

function feedSync(spec: FeedSpec, input: CompareInput): FeedSync {
  const prev = input.previous.get(spec.name);
  const hash = specHash(spec);
  const { state, detail } = classify(spec.name, hash, prev, input);
  const applied = state === 'in sync' ? hash : (prev?.appliedHash ?? null);
  return {
    feed: spec.name,
    state,
    detail,
    plan: feedPlan(input.plan, spec.name),
    manifestPath: spec.manifestPath,
    manifest: input.manifests.get(spec.name) ?? null,
    manifestHash: hash,
    appliedHash: applied,
    summary: summaryOf(spec),
    observedAt: input.at,
    since: prev && prev.state === state ? prev.since : input.at,
    recordedBy: input.recordedBy,
  };
}

function classify(
  feed: string,
  hash: string,
  prev: FeedSyncState | undefined,
  input: CompareInput,
): { state: SyncState; detail: string | null } {
  const broken = input.invalid.find((i) => i.keeps.includes(feed));
  if (broken) return { state: 'invalid manifest', detail: `${broken.file} ${broken.error}` };
  const errors = input.plan.errors.filter((e) => e.feed === feed);
  if (errors.length > 0)
    return {
      state: 'failed',
      detail: errors.map((e) => `${e.kind} ${e.id}: ${e.message} (${e.remedy})`).join('; '),
    };
  const changes = input.plan.changes.filter((c) => c.feed === feed);
  if (changes.length === 0 || input.outcome === 'applied') return { state: 'in sync', detail: null };
  if (input.outcome === 'failed') return { state: 'failed', detail: input.reasons.join('; ') };
  if (input.outcome === 'breaker')
    return { state: 'blocked', detail: `breaker: ${input.reasons.join('; ')}` };
  // A refresh does not know why the last run left the changes: a blocked or failed feed stays so until a run.
  if (input.outcome === 'refresh' && (prev?.state === 'blocked' || prev?.state === 'failed'))
    return { state: prev.state, detail: prev.detail };
  const detail = changes.map(describeChange).join('; ');
  return { state: hash === prev?.appliedHash ? 'drift' : 'changes pending', detail };
}

/** `update topic orders: retention.ms 604800000 → 1234567`, at most three differences named. */
export function describeChange(c: Change): string {
  const head = `${c.action} ${c.kind} ${c.id}`;
  if (c.action !== 'update') return head;
  const diffs = differences(c.before, c.after, '').slice(0, 3);
  return diffs.length > 0 ? `${head}: ${diffs.join(', ')}` : head;
}

function differences(before: unknown, after: unknown, path: string): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => differences(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const show = (v: unknown) => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
  return [`${path || 'value'} ${show(before)} → ${show(after)}`];
}

/** The plan cut down to one feed's changes and errors (renderPlan shows it as the CLI would). */
function feedPlan(plan: Plan, feed: string): Plan {
  const changes = plan.changes.filter((c) => c.feed === feed);
  const errors = plan.errors.filter((e) => e.feed === feed);
  const blocked = changes.some((c) => c.destructive) && !plan.options.allowDestructive;
  return { ...plan, changes, errors, blocked, applyable: plan.complete && errors.length === 0 && !blocked };
}

function summaryOf(spec: FeedSpec): FeedSummary {
  const r = spec.retention;
  return {
    type: spec.type,
    owner: spec.metadata.owner,
    description: spec.metadata.description,
    labels: spec.metadata.labels,
    topic: spec.topic.name,
    destinations: (['lake', 'warehouse'] as const).filter((d) => spec.destinations[d].enabled),
    retention: r.days !== null ? `${r.days} days` : r.versions !== null ? `${r.versions} versions` : null,
  };
}
