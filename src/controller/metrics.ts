/**
 * The watch controller's metrics (prom-client), served with the worker's on the process's `/metrics`; the alert
 * rules in deploy/prometheus/feedctl-rules.yml use them.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { RunReport } from './report.js';

export class ControllerMetrics {
  readonly registry = new Registry();

  readonly runs = new Counter({
    name: 'feedctl_reconcile_runs_total',
    help: 'Reconcile runs of the watch controller, by trigger (start, change, resync, retry) and outcome',
    labelNames: ['trigger', 'outcome'],
    registers: [this.registry],
  });
  readonly lastSuccess = new Gauge({
    name: 'feedctl_reconcile_last_success_timestamp_seconds',
    help: 'When a reconcile run last ended in sync or applied (unix seconds)',
    registers: [this.registry],
  });
  readonly failing = new Gauge({
    name: 'feedctl_reconcile_failing',
    help: '1 while the last reconcile run failed (it is retried with backoff)',
    registers: [this.registry],
  });
  readonly applied = new Counter({
    name: 'feedctl_reconcile_changes_applied_total',
    help: 'Changes applied by the watch controller, by resource kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly driftFound = new Counter({
    name: 'feedctl_reconcile_drift_found_total',
    help: 'Periodic resyncs that found drift (changes nobody made through a manifest)',
    registers: [this.registry],
  });
  readonly driftChanges = new Gauge({
    name: 'feedctl_reconcile_drift_changes',
    help: 'Changes the last periodic resync found (0 when in sync); stays above 0 while drift is not healed',
    registers: [this.registry],
  });
  readonly breakerTrips = new Counter({
    name: 'feedctl_breaker_trips_total',
    help: 'Runs the blast-radius breaker refused',
    registers: [this.registry],
  });
  readonly breakerTripped = new Gauge({
    name: 'feedctl_breaker_tripped',
    help: '1 while the blast-radius breaker refuses the plan (cleared by a reconcile that applies)',
    registers: [this.registry],
  });
  readonly invalidManifests = new Gauge({
    name: 'feedctl_manifests_invalid',
    help: 'Manifest files that are invalid now (their feeds keep their last good spec)',
    registers: [this.registry],
  });
  readonly invalidManifest = new Gauge({
    name: 'feedctl_manifest_invalid',
    help: '1 for each invalid manifest file, by file',
    labelNames: ['file'],
    registers: [this.registry],
  });

  /** Counts one run's report. */
  record(r: RunReport): void {
    this.runs.inc({ trigger: r.trigger, outcome: r.outcome });
    const ok = r.outcome === 'applied' || r.outcome === 'in sync';
    if (ok) this.lastSuccess.set(Date.parse(r.at) / 1000);
    this.failing.set(r.outcome === 'failed' ? 1 : 0);
    for (const [kind, n] of Object.entries(r.appliedByKind)) this.applied.inc({ kind }, n);
    if (r.trigger === 'resync' && r.outcome !== 'failed') {
      this.driftChanges.set(r.changes);
      if (r.changes > 0) this.driftFound.inc();
    }
    if (r.outcome === 'breaker') this.breakerTrips.inc();
    if (r.outcome !== 'failed') this.breakerTripped.set(r.outcome === 'breaker' ? 1 : 0);
    if (r.outcome === 'failed') return; // a run that failed early did not look at the manifests
    this.invalidManifests.set(r.invalid.length);
    this.invalidManifest.reset();
    for (const i of r.invalid) this.invalidManifest.set({ file: i.file }, 1);
  }
}
