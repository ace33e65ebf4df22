/**
 * `feedctl reconcile [paths...]`: plan, print, and (unless --dry-run) apply.
 *
 * Exit codes (with --detailed-exitcode): 0 no changes (or all applied), 2 changes pending (dry-run), 3 changes
 * blocked by policy (destructive without --allow-destructive), 1 error (invalid manifests, plan errors, unreachable
 * services, a failed change). Without --detailed-exitcode, 2 becomes 0 and 3 becomes 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { Config } from '../../config/config.js';
import { formatDiagnostic, type Diagnostic } from '../../errors.js';
import type { ChangeResult } from '../../reconciler/apply.js';
import { OUTPUT_FORMATS, renderPlan, type OutputFormat } from '../../reconciler/plan/render.js';
import type { Plan } from '../../reconciler/plan/types.js';
import { applyReconcile, planFromManifests, type ReconcileRequest } from '../../reconciler/reconcile.js';
import { configFor } from '../context.js';
import { ExitCode } from '../exit.js';

interface Opts {
  dryRun?: boolean;
  detailedExitcode?: boolean;
  allowDestructive?: boolean;
  prune?: boolean;
  output: OutputFormat;
  savePlan?: string;
  planFile?: string;
  actor?: string;
  lockTimeout: string;
}

export function register(program: Command): void {
  program
    .command('reconcile')
    .description('make Kafka, MySQL and the registry match the feed manifests')
    .argument('[paths...]', 'manifest files or folders (default: feedsDir from the config)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--detailed-exitcode', 'exit 0 no changes, 2 changes pending, 3 blocked by policy, 1 error')
    .option('--allow-destructive', 'permit drops, narrowing type changes and pruning')
    .option('--prune', 'delete topics and tables of feeds whose manifest is gone (needs --allow-destructive)')
    .addOption(new Option('-o, --output <format>', 'plan format').choices(OUTPUT_FORMATS).default('text'))
    .option('--save-plan <file>', 'write the plan as JSON (to apply later with --plan-file)')
    .option('--plan-file <file>', 'apply this saved plan, only if the world still matches it')
    .option('--actor <name>', 'who is applying (default: CI user, git user, or OS user)')
    .option('--lock-timeout <seconds>', 'how long to wait for another reconcile to finish', '10')
    .action(async function (this: Command, paths: string[], opts: Opts) {
      const { config } = configFor(this);
      const code = await reconcileCommand(config, paths, opts);
      if (code !== 0) throw new ExitCode(code);
    });
}

async function reconcileCommand(config: Config, paths: string[], opts: Opts): Promise<number> {
  const req: ReconcileRequest = {
    paths: paths.length > 0 ? paths : [config.feedsDir],
    options: { allowDestructive: Boolean(opts.allowDestructive), prune: Boolean(opts.prune) },
    actor: opts.actor,
    lockTimeoutSeconds: Number(opts.lockTimeout),
  };
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && opts.output === 'text';
  const show = (plan: Plan) => print(renderPlan(plan, opts.output, { color }));
  if (opts.dryRun) {
    const outcome = await planFromManifests(config, req);
    if (reportDiagnostics(outcome.diagnostics)) return 1;
    show(outcome.plan);
    if (outcome.pendingMigrations.length > 0 && opts.output === 'text') {
      print(
        `Control plane: ${outcome.pendingMigrations.length} migration(s) pending; reconcile applies them first.\n`,
      );
    }
    if (opts.savePlan) writeFileSync(opts.savePlan, renderPlan(outcome.plan, 'json', { color: false }));
    return planExitCode(outcome.plan, Boolean(opts.detailedExitcode), true);
  }
  const saved = opts.planFile ? (JSON.parse(readFileSync(opts.planFile, 'utf8')) as Plan) : undefined;
  const outcome = await applyReconcile(config, req, saved, (r) => print(resultLine(r, color)), show);
  if (reportDiagnostics(outcome.diagnostics)) return 1;
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

function resultLine(r: ChangeResult, color: boolean): string {
  const mark = r.outcome === 'applied' ? 'applied' : r.outcome === 'failed' ? 'FAILED ' : 'skipped';
  const paint = color ? (r.outcome === 'applied' ? '\x1b[32m' : '\x1b[31m') : '';
  const reset = color ? '\x1b[0m' : '';
  const err = r.error ? `: ${r.error}` : '';
  return `${paint}${mark}${reset}  ${r.change.action} ${r.change.kind} ${r.change.id} (${r.ms} ms)${err}\n`;
}

/** Prints manifest diagnostics to stderr; true when one is an error (nothing may be planned). */
function reportDiagnostics(diagnostics: Diagnostic[]): boolean {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0)
    process.stderr.write(`${errors} error(s) in the manifests; nothing was planned or applied\n`);
  return errors > 0;
}

function print(text: string): void {
  process.stdout.write(text);
}
