/**
 * `feedctl run` (and `reconcile --watch` with its worker) does its work in a worker thread with a heap limit taken
 * from `runtime.memoryBudgetMb` (Node lets a process set the heap of its threads, not its own main one): the main
 * thread only forwards SIGTERM and SIGINT to it and exits with its exit code. FEEDCTL_RUN_THREAD=0 keeps
 * everything on the main thread.
 */
import { isMainThread, Worker, type ResourceLimits } from 'node:worker_threads';
import type { Config } from '../config/config.js';
import { logger } from '../log.js';
import { memoryPlan } from '../runtime/memory.js';
import { threadModule } from '../runtime/threads/entry.js';
import { takeOverEarlySignals } from './signals.js';

const log = logger('cli.run');

/** Whether this command should start its thread (it is on the main thread, and it is not turned off). */
export function hostsRunThread(): boolean {
  return isMainThread && process.env.FEEDCTL_RUN_THREAD !== '0';
}

/** The heap of the thread a worker runs in, from the memory budget (src/runtime/memory.ts). */
export function runThreadLimits(config: Config): ResourceLimits {
  const { runtimeHeapMb } = memoryPlan(config.runtime.memoryBudgetMb, config.runtime.threads);
  return { maxOldGenerationSizeMb: runtimeHeapMb, maxYoungGenerationSizeMb: 16 };
}

/** Runs the CLI again with the same arguments in a thread with `limits`; resolves with its exit code. */
export function runInThread(argv: readonly string[], limits: ResourceLimits): Promise<number> {
  const thread = new Worker(threadModule(import.meta.url, './thread-main.js'), {
    argv: argv.slice(2),
    resourceLimits: limits,
  });
  const forward = (signal: NodeJS.Signals) => thread.postMessage({ signal });
  const early = takeOverEarlySignals();
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  if (early) forward(early);
  return new Promise((resolve) => {
    thread.on('error', (err: Error & { code?: string }) => {
      const fields = { err: err.message, heapMb: limits.maxOldGenerationSizeMb };
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY')
        log.error(fields, 'worker thread ran out of its heap: raise runtime.memoryBudgetMb');
      else log.error(fields, 'worker thread failed');
    });
    thread.on('exit', (code) => resolve(code));
  });
}
