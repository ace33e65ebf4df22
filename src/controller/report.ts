/** What one run of the watch controller did (plain data, saved for `feedctl status`). */
import type { InvalidFile } from './last-good.js';

export type Trigger = 'start' | 'change' | 'resync' | 'retry';

export type RunOutcome = 'in sync' | 'applied' | 'breaker' | 'failed';

/** What one run did; the last one is shown by `feedctl status`. */
export interface RunReport {
  trigger: Trigger;
  at: string;
  outcome: RunOutcome;
  /** Changes planned (applied, when the outcome is `applied`). */
  changes: number;
  /** Changes applied, by resource kind. */
  appliedByKind: Record<string, number>;
  /** Why the breaker tripped, or what failed. */
  reasons: string[];
  /** When the next retry runs (ms from now), for failures only. */
  retryInMs: number | null;
  /** Broken manifests, each keeping its feeds' last good spec (the other feeds were reconciled). */
  invalid: InvalidFile[];
}
