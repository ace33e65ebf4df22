/**
 * deploy/prometheus/feedctl-rules.yml: promtool accepts the rules and their unit tests pass, and every metric a
 * rule names exists in the workers' registry. promtool is found the way scripts/ensure-promtool.sh installs it
 * (`npm test` runs that script); without it these tests fail rather than skip.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { RuntimeMetrics } from '../../../src/runtime/metrics.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = path.join(root, 'deploy/prometheus');
const RULES = 'feedctl-rules.yml';
const TESTS = 'feedctl-rules.test.yml';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The feedctl_ metric names a PromQL expression uses: identifiers outside strings and comments. */
function metricNames(expr: string): string[] {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ').replace(/#.*$/gm, ' ');
  const ids = code.match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? [];
  return [...new Set(ids.filter((id) => id.startsWith('feedctl_')))];
}

/**
 * Every series name the workers' and the watch controller's registries expose: counters with their _total,
 * histograms' _bucket/_sum/_count.
 */
async function exposedNames(): Promise<Set<string>> {
  const names = new Set<string>();
  const registries = [new RuntimeMetrics().registry, new ControllerMetrics().registry];
  const metrics = (await Promise.all(registries.map((r) => r.getMetricsAsJSON()))).flat();
  for (const m of metrics) {
    names.add(m.name);
    const type = String(m.type);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

function rules(): Rule[] {
  const doc = parse(readFileSync(path.join(dir, RULES), 'utf8')) as { groups: { rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

function unknown(names: string[], known: Set<string>): string[] {
  return names.filter((n) => !known.has(n));
}

function promtool(): string {
  try {
    return execFileSync('bash', [path.join(root, 'scripts/ensure-promtool.sh'), '--no-install'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`promtool is missing: run bash scripts/ensure-promtool.sh (npm test does). ${stderr}`);
  }
}

function run(args: string[]): string {
  try {
    return execFileSync(promtool(), args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('metricNames', () => {
  it('finds the feedctl_ metrics of an expression, not label values, functions or keywords', () => {
    const expr = `sum by (feed) (rate(feedctl_dead_letters_total{stage="feedctl_not_a_metric"}[5m]))
      > on (feed) feedctl_consumer_lag unless feedctl_lag_typo offset 1h # feedctl_in_a_comment`;
    expect(metricNames(expr)).toEqual([
      'feedctl_dead_letters_total',
      'feedctl_consumer_lag',
      'feedctl_lag_typo',
    ]);
  });

  it('catches a name the registry does not have', async () => {
    const known = await exposedNames();
    expect(unknown(metricNames('increase(feedctl_consumer_restarts_total[15m]) > 3'), known)).toEqual([]);
    expect(unknown(metricNames('feedctl_consumer_restarts > 3'), known)).toEqual([
      'feedctl_consumer_restarts',
    ]);
    expect(unknown(metricNames('rate(feedctl_sink_commit_seconds_bucket[5m])'), known)).toEqual([]);
    expect(unknown(metricNames('feedctl_reconcile_failing > 0'), known)).toEqual([]);
    expect(unknown(metricNames('feedctl_reconcile_failures_total > 0'), known)).toEqual([
      'feedctl_reconcile_failures_total',
    ]);
  });
});

describe('deploy/prometheus/feedctl-rules.yml', () => {
  it('has alerts with a severity, a summary and a description', () => {
    const all = rules();
    expect(all.length).toBeGreaterThan(0);
    for (const r of all) {
      expect(r.alert, r.expr).toMatch(/^Feedctl/);
      expect(r.labels?.['severity'], r.alert).toMatch(/^(warning|critical)$/);
      expect(r.annotations?.['summary'], r.alert).toBeTruthy();
      expect(r.annotations?.['description'], r.alert).toBeTruthy();
    }
  });

  it('uses only metrics the workers and the controller export, in expressions and annotations', async () => {
    const known = await exposedNames();
    const missing = rules().flatMap((r) => {
      const text = Object.values(r.annotations ?? {}).join(' ');
      const names = [...metricNames(r.expr), ...(text.match(/feedctl_[A-Za-z0-9_]+/g) ?? [])];
      return unknown(names, known).map((n) => `${r.alert ?? r.record}: ${n}`);
    });
    expect(missing).toEqual([]);
  });

  it('passes promtool check rules', () => {
    expect(run(['check', 'rules', RULES])).toMatch(/SUCCESS/);
  });

  it('passes its promtool unit tests', () => {
    expect(run(['test', 'rules', TESTS])).toMatch(/SUCCESS/);
  });
});
