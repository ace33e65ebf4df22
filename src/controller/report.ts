/** What one run of the watch controller did (plain data, saved for `feedctl status`). */

export type Trigger = 'start' | 'change' | 'resync' | 'retry';

export type RunOutcome = 'in sync' | 'applied' | 'invalid manifests' | 'breaker' | 'failed';

/** What one run did; the last one is shown by `feedctl status`. */
export interface RunReport {
  trigger: Trigger;
  at: string;
  outcome: RunOutcome;
  /** Changes planned (applied, when the outcome is `applied`). */
  changes: number;
  /** Why the breaker tripped, or what failed. */
  reasons: string[];
  /** When the next retry runs (ms from now), for failures only. */
  retryInMs: number | null;
}
