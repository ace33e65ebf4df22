/**
 * `feedctl reconcile --watch`: wires the watch controller (src/controller) to the terminal and starts a worker
 * (unless --no-worker), until SIGTERM/SIGINT; serves /metrics, /healthz and /readyz meanwhile (src/health).
 */
import type { Config } from '../../config/config.js';
import { Controller, type ControllerHooks, type RunReport } from '../../controller/controller.js';
import { invalidLine } from '../../control/controllers.js';
import { migrateUp } from '../../control/migrate.js';
import { setDefaultLevel } from '../../log.js';
import { renderPlan } from '../../reconciler/plan/render.js';
import type { ReconcileRequest } from '../../reconciler/reconcile.js';
import { processRegistry } from '../../health/server.js';
import { Worker } from '../../runtime/worker/worker.js';
import { startHealth, workerLiveness, type HealthParts } from '../health.js';
import { STOP_DEADLINE_MS, untilSignal } from '../signals.js';
import { destinationsOf } from './run.js';
import { reportDiagnostics, resultLine, type Opts } from './reconcile-once.js';

/** In the thread (or process) that does the work: reconcile.ts started the thread when a worker runs. */
export async function watchCommand(config: Config, req: ReconcileRequest, opts: Opts): Promise<number> {
  setDefaultLevel('info');
  const stopping = untilSignal();
  const controller = new Controller(
    config,
    { ...req, options: { ...req.options, allowDestructive: false } },
    printer(),
    {
      resyncMs: config.controller.resyncSeconds * 1000,
      refreshMs: config.controller.refreshSeconds * 1000,
      limits: { maxShare: config.controller.breakerMaxShare, maxFeeds: config.controller.breakerMaxFeeds },
      retry: { initialDelayMs: 2000, maxDelayMs: 300_000 },
      unreadyAfterMs: config.controller.unreadyAfterSeconds * 1000,
    },
  );
  const worker = opts.worker
    ? new Worker({ config, destinations: destinationsOf(opts.destinations) })
    : undefined;
  const health = await startHealth(config, healthParts(controller, worker));
  try {
    await migrateUp(config); // creates the database when missing, as `run` and a one-off reconcile do
    await controller.start();
    await worker?.start();
    process.stderr.write(
      `feedctl: watching ${req.paths.join(', ')}${worker ? `, worker ${worker.identity.instanceId} running` : ''}; stop with Ctrl-C\n`,
    );
    await stopping;
    await controller.stop();
    await worker?.stop(STOP_DEADLINE_MS - 5000);
  } finally {
    await health.close();
  }
  return 0;
}

/**
 * What the health server shows: the worker's metrics (or the process metrics alone) and the controller's; on
 * /readyz, besides Kafka, MySQL and migrations, that reconciles have not been failing for too long.
 */
function healthParts(controller: Controller, worker: Worker | undefined): HealthParts {
  return {
    registries: [worker ? worker.metrics.registry : processRegistry(), controller.metrics.registry],
    liveness: worker ? [workerLiveness(worker)] : [],
    readiness: [{ name: 'reconcile', run: () => controller.readiness() }],
  };
}

/** Prints each run like a one-off `feedctl reconcile`, with a header line and an outcome line. */
function printer(): ControllerHooks {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const out = (text: string) => process.stdout.write(text);
  return {
    begin(trigger, detail) {
      const why = trigger === 'change' ? `changed: ${detail}` : trigger;
      out(`\n[${new Date().toISOString()}] reconcile (${why})\n`);
    },
    diagnostics: (d) => void reportDiagnostics(d),
    plan: (p) => out(renderPlan(p, 'text', { color })),
    result: (r) => out(resultLine(r, color)),
    end: (report) => out(summary(report)),
  };
}

function summary(r: RunReport): string {
  const invalid = r.invalid.map((i) => `Invalid manifest ${invalidLine(i)}; watching for the fix.\n`);
  return `${outcomeText(r)}${invalid.join('')}`;
}

function outcomeText(r: RunReport): string {
  if (r.outcome === 'breaker') {
    return `\nBreaker tripped: nothing applied. ${r.reasons.join('; ')}.\nRun \`feedctl reconcile\` once by hand to apply this plan (with the flags it needs); the watch goes on.\n`;
  }
  if (r.outcome === 'failed') {
    const next =
      r.retryInMs === null
        ? 'waiting for the next change'
        : `retrying in ${Math.round(r.retryInMs / 1000)} s`;
    return `reconcile failed (${r.reasons.join('; ')}); ${next}\n`;
  }
  return r.outcome === 'applied' ? `\nApply complete: ${r.changes} applied.\n` : 'No changes: in sync.\n';
}
