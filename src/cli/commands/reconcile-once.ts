/**
 * One reconcile, as the CLI runs it: a dry-run that prints the plan, or an apply that prints the plan and a line per
 * change. Exit codes are documented in reconcile.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../../config/config.js';
import { recordApply } from '../../controller/sync-record.js';
import { renderStatus } from '../../status/text.js';
import { formatDiagnostic, type Diagnostic } from '../../errors.js';
import type { ChangeResult } from '../../reconciler/apply.js';
import { renderPlan, type OutputFormat } from '../../reconciler/plan/render.js';
import type { Plan } from '../../reconciler/plan/types.js';
import { applyReconcile, planFromManifests, type ReconcileRequest } from '../../reconciler/reconcile.js';
import type { HttpOpts } from '../http-options.js';

export interface Opts extends HttpOpts {
  dryRun?: boolean;
  watch?: boolean;
  worker: boolean;
  destinations: 'lake' | 'warehouse' | 'all';
  detailedExitcode?: boolean;
  allowDestructive?: boolean;
  prune?: boolean;
  output: OutputFormat;
  savePlan?: string;
  planFile?: string;
  actor?: string;
  lockTimeout: string;
}

/** One reconcile (dry-run or apply); resolves with the exit code. */
export async function reconcileCommand(config: Config, req: ReconcileRequest, opts: Opts): Promise<number> {
  const terminal = Boolean(process.stdout.isTTY) && opts.output === 'text';
  const color = terminal && !process.env.NO_COLOR;
  const show = (plan: Plan) => print(renderPlan(plan, opts.output, { color }));
  if (opts.dryRun) {
    const outcome = await planFromManifests(config, req);
    if (reportDiagnostics(outcome.diagnostics)) return 1;
    show(outcome.plan);
    if (outcome.status && opts.output === 'text') print(`\n${renderStatus(outcome.status)}`);
    if (outcome.pendingMigrations.length > 0 && opts.output === 'text') {
      print(
        `Control plane: ${outcome.pendingMigrations.length} migration(s) pending; reconcile applies them first.\n`,
      );
    }
    if (opts.savePlan) writeFileSync(opts.savePlan, renderPlan(outcome.plan, 'json', { color: false }));
    return planExitCode(outcome.plan, Boolean(opts.detailedExitcode), true);
  }
  return applyCommand(config, req, opts, { terminal, color, show });
}

interface Printing {
  terminal: boolean;
  color: boolean;
  show: (plan: Plan) => void;
}

/** Applies the plan (or the saved one) and prints a line per change; resolves with the exit code. */
async function applyCommand(config: Config, req: ReconcileRequest, opts: Opts, p: Printing): Promise<number> {
  const { terminal, color, show } = p;
  const saved = opts.planFile ? (JSON.parse(readFileSync(opts.planFile, 'utf8')) as Plan) : undefined;
  // On a terminal each line counts where the apply is (a big reconcile shows its progress); logs and CI get none.
  let total = 0;
  let done = 0;
  const counted = (plan: Plan) => {
    total = plan.changes.length;
    show(plan);
  };
  const onResult = (r: ChangeResult) => {
    done += 1;
    print(resultLine(r, color, terminal ? `${done}/${total}` : null));
  };
  const outcome = await applyReconcile(config, req, saved, onResult, counted);
  if (reportDiagnostics(outcome.diagnostics)) return 1;
  await recordApply(config, outcome);
  if (!outcome.plan.applyable) return planExitCode(outcome.plan, Boolean(opts.detailedExitcode), false);
  const count = (o: ChangeResult['outcome']) => outcome.results.filter((r) => r.outcome === o).length;
  const failed = count('failed') > 0;
  if (outcome.results.length > 0) {
    const rest = failed ? `, 1 failed, ${count('skipped')} not attempted` : '';
    print(`\nApply ${failed ? 'stopped' : 'complete'}: ${count('applied')} applied${rest}.\n`);
  }
  return failed ? 1 : 0;
}

function planExitCode(plan: Plan, detailed: boolean, dryRun: boolean): number {
  if (plan.errors.length > 0 || !plan.complete) return 1;
  if (plan.blocked) return detailed ? 3 : 1;
  if (plan.changes.length > 0 && dryRun) return detailed ? 2 : 0;
  return 0;
}

/** One applied change; `position` ("12/2500") is shown on a terminal. */
export function resultLine(r: ChangeResult, color: boolean, position: string | null = null): string {
  const mark = r.outcome === 'applied' ? 'applied' : r.outcome === 'failed' ? 'FAILED ' : 'skipped';
  const paint = color ? (r.outcome === 'applied' ? '\x1b[32m' : '\x1b[31m') : '';
  const reset = color ? '\x1b[0m' : '';
  const err = r.error ? `: ${r.error}` : '';
  const at = position ? `[${position}] ` : '';
  return `${at}${paint}${mark}${reset}  ${r.change.action} ${r.change.kind} ${r.change.id} (${r.ms} ms)${err}\n`;
}

/** Prints manifest diagnostics to stderr; true when one is an error (nothing may be planned). */
export function reportDiagnostics(diagnostics: Diagnostic[]): boolean {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0)
    process.stderr.write(`${errors} error(s) in the manifests; nothing was planned or applied\n`);
  return errors > 0;
}

function print(text: string): void {
  process.stdout.write(text);
}
