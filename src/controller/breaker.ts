/**
 * The blast-radius breaker of the watch controller (pure): a plan an unattended controller must not apply on its
 * own. It trips when the plan would
 * 1. leave the desired set empty while feeds are enabled (a missing or emptied feeds folder, a wrong mount);
 * 2. disable or delete more than `maxFeeds` feeds at once, or more than `maxShare` of the enabled feeds (from two
 *    feeds up: removing one feed in a pull request is ordinary);
 * 3. hold any destructive change.
 * A person clears it by running `feedctl reconcile` once (with the flags the plan needs): the controller's next plan
 * then has nothing left that trips.
 */
import type { Change, Plan } from '../reconciler/plan/types.js';

export interface BreakerLimits {
  /** Share of the enabled feeds (0..1) a plan may disable or delete. */
  maxShare: number;
  /** Feeds a plan may disable or delete at once. */
  maxFeeds: number;
}

export interface BreakerInput {
  plan: Plan;
  /** Feeds the manifests declare. */
  desiredFeeds: number;
  /** Feeds feedctl manages that are enabled now. */
  enabledFeeds: number;
}

/** The feeds a plan disables or deletes. */
export function removedFeeds(changes: readonly Change[]): string[] {
  const feeds = new Set<string>();
  for (const c of changes) {
    const feed = c.feed ?? c.id;
    if (c.kind === 'registry' && c.action === 'update' && isDisable(c)) feeds.add(feed);
    if (c.action === 'delete' && (c.kind === 'registry' || c.kind === 'consumer')) feeds.add(feed);
  }
  return [...feeds].sort();
}

function isDisable(c: Change): boolean {
  const before = c.before as { enabled?: unknown } | null;
  const after = c.after as { enabled?: unknown } | null;
  return before?.enabled === true && after?.enabled === false;
}

/** Why the breaker trips on this plan (empty: it does not). */
export function breakerReasons(i: BreakerInput, limits: BreakerLimits): string[] {
  const reasons: string[] = [];
  if (i.desiredFeeds === 0 && i.enabledFeeds > 0) {
    reasons.push(
      `the manifests declare no feed while ${i.enabledFeeds} are enabled (an empty or missing feeds folder?)`,
    );
  }
  const removed = removedFeeds(i.plan.changes);
  const share = i.enabledFeeds > 0 ? removed.length / i.enabledFeeds : 0;
  if (removed.length > limits.maxFeeds) {
    reasons.push(`it would disable or delete ${removed.length} feeds at once (limit ${limits.maxFeeds})`);
  } else if (removed.length > 1 && share > limits.maxShare) {
    reasons.push(
      `it would disable or delete ${removed.length} of ${i.enabledFeeds} enabled feeds (${removed.join(', ')}), more than ${Math.round(limits.maxShare * 100)} %`,
    );
  }
  const destructive = i.plan.changes.filter((c) => c.destructive);
  if (destructive.length > 0) {
    const some = destructive.slice(0, 3).map((c) => `${c.action} ${c.kind} ${c.id}`);
    reasons.push(
      `it holds ${destructive.length} destructive change(s): ${some.join(', ')}${destructive.length > 3 ? ', …' : ''}`,
    );
  }
  return reasons;
}
