/**
 * Watches manifest files and folders (chokidar) and calls back once per burst of changes: editors and `git pull`
 * write several files or save in several steps, so events are debounced.
 */
import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';

const MANIFEST = /\.ya?ml$/i;

export interface ManifestWatcher {
  /** Resolves once the initial scan is done: changes from then on are reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Calls `onChange(paths)` after `debounceMs` without further changes to any `*.yaml|*.yml` under `paths`. */
export function watchManifests(
  paths: string[],
  onChange: (changed: string[]) => void,
  debounceMs = 500,
): ManifestWatcher {
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(paths, {
    ignoreInitial: true,
    awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 },
    ignored: (file: string, stats?: Stats) => Boolean(stats?.isFile()) && !MANIFEST.test(file),
  });
  watcher.on('all', (_event, file) => {
    if (!MANIFEST.test(file)) return;
    changed.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changed].sort();
      changed.clear();
      onChange(files);
    }, debounceMs);
  });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
