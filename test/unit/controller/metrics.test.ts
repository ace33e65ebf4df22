import { describe, expect, it } from 'vitest';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import type { RunReport } from '../../../src/controller/report.js';

const report = (o: Partial<RunReport>): RunReport => ({
  trigger: 'resync',
  at: '2026-11-26T10:00:00.000Z',
  outcome: 'in sync',
  changes: 0,
  appliedByKind: {},
  reasons: [],
  retryInMs: null,
  invalid: [],
  ...o,
});
const bad = { file: 'feeds/a.yaml', error: '1:1 x', keeps: ['a'], how: 'last valid spec' as const };

async function value(m: ControllerMetrics, name: string, labels: Record<string, string> = {}) {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const want = Object.entries(labels);
  const v = metric?.values.find((x) => want.every(([k, l]) => x.labels[k] === l));
  return v?.value;
}

describe('controller metrics', () => {
  it('count runs, applied changes by kind, drift and the breaker', async () => {
    const m = new ControllerMetrics();
    m.record(report({ outcome: 'applied', changes: 3, appliedByKind: { topic: 2, table: 1 } }));
    m.record(report({ outcome: 'breaker', changes: 5, reasons: ['x'] }));
    expect(await value(m, 'feedctl_reconcile_runs_total', { trigger: 'resync', outcome: 'applied' })).toBe(1);
    expect(await value(m, 'feedctl_reconcile_changes_applied_total', { kind: 'topic' })).toBe(2);
    expect(await value(m, 'feedctl_reconcile_drift_found_total')).toBe(2);
    expect(await value(m, 'feedctl_breaker_tripped')).toBe(1);
    expect(await value(m, 'feedctl_reconcile_last_success_timestamp_seconds')).toBe(
      Date.parse('2026-11-26T10:00:00.000Z') / 1000,
    );
    m.record(report({ outcome: 'in sync' }));
    expect(await value(m, 'feedctl_breaker_tripped')).toBe(0);
    expect(await value(m, 'feedctl_reconcile_drift_changes')).toBe(0);
  });

  it('keep invalid manifests and the breaker through a failed run, and clear them when fixed', async () => {
    const m = new ControllerMetrics();
    m.record(report({ outcome: 'breaker', invalid: [bad] }));
    m.record(report({ outcome: 'failed', reasons: ['mysql down'] }));
    expect(await value(m, 'feedctl_reconcile_failing')).toBe(1);
    expect(await value(m, 'feedctl_manifests_invalid')).toBe(1);
    expect(await value(m, 'feedctl_manifest_invalid', { file: 'feeds/a.yaml' })).toBe(1);
    expect(await value(m, 'feedctl_breaker_tripped')).toBe(1);
    m.record(report({ trigger: 'change', outcome: 'applied', changes: 1 }));
    expect(await value(m, 'feedctl_reconcile_failing')).toBe(0);
    expect(await value(m, 'feedctl_manifests_invalid')).toBe(0);
    expect(await value(m, 'feedctl_manifest_invalid', { file: 'feeds/a.yaml' })).toBeUndefined();
  });
});
