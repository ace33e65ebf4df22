#!/usr/bin/env node
// Entry point of the `feedctl` command: runs the compiled CLI (npm run build writes dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A SIGTERM or SIGINT that arrives while the CLI loads (a second or so) is kept: a long-running command (`run`,
// `reconcile --watch`) then stops cleanly at once, a one-shot command runs to its end. Once loaded, a signal no
// command took over ends the process as usual; src/cli/signals.ts takes these handlers over.
const early = { pending: null, loaded: false };
early.handler = (sig) => {
  if (!early.loaded) early.pending ??= sig;
  else process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
};
globalThis.feedctlEarlySignals = early;
process.on('SIGTERM', early.handler);
process.on('SIGINT', early.handler);

// A reader that went away (`feedctl status | head`) ends the output, as for any Unix tool: no crash, no trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error(
    'feedctl: not built yet: run `npm run build` (or `npm start` / `npm test`, which build first)',
  );
  process.exit(1);
}
const { run } = await import(main.href);
early.loaded = true;
process.exitCode = await run(process.argv);
