/**
 * `feedctl reconcile --watch`: the production loop. Applies once, starts a worker (unless --no-worker), then
 * re-applies whenever a manifest changes, until SIGTERM/SIGINT. A failed or refused apply is reported and the loop
 * goes on: the next change (or fix) is applied in turn. Applies never overlap.
 */
import type { Config } from '../../config/config.js';
import { causeText } from '../../errors.js';
import { watchManifests } from '../../feeds/watch.js';
import { setDefaultLevel } from '../../log.js';
import type { ReconcileRequest } from '../../reconciler/reconcile.js';
import { Worker } from '../../runtime/worker/worker.js';
import { STOP_DEADLINE_MS, untilSignal } from '../signals.js';
import { destinationsOf } from './run.js';
import { reconcileCommand, type Opts } from './reconcile-once.js';

export async function watchCommand(config: Config, req: ReconcileRequest, opts: Opts): Promise<number> {
  setDefaultLevel('info');
  const stopping = untilSignal();
  let queue = Promise.resolve();
  const applyNow = (why: string) => {
    queue = queue.then(async () => {
      process.stdout.write(`\n[${new Date().toISOString()}] reconcile (${why})\n`);
      const code = await reconcileCommand(config, req, { ...opts, dryRun: false }).catch((err: unknown) => {
        process.stderr.write(`error: ${causeText(err)}\n`);
        return 1;
      });
      if (code !== 0)
        process.stdout.write(`reconcile ended with exit code ${code}; watching for the next change\n`);
    });
    return queue;
  };
  // Watch first, so a change made while the first apply runs is applied right after it.
  const watcher = watchManifests(req.paths, (files) => void applyNow(`changed: ${files.join(', ')}`));
  await watcher.ready;
  await applyNow('start');
  const worker = opts.worker
    ? new Worker({ config, destinations: destinationsOf(opts.destinations) })
    : undefined;
  await worker?.start();
  process.stderr.write(
    `feedctl: watching ${req.paths.join(', ')}${worker ? `, worker ${worker.identity.instanceId} running` : ''}; stop with Ctrl-C\n`,
  );
  await stopping;
  await watcher.close();
  await queue;
  await worker?.stop(STOP_DEADLINE_MS - 5000);
  return 0;
}
