#!/usr/bin/env bash
# `npm start`: the main job on a local stack. Installs what is missing, builds, brings Kafka and MySQL up
# (idempotent), applies control-plane migrations, reconciles feeds/ and then keeps running in the foreground:
# every change to a manifest is applied again, and a worker runs the consumers that write the lake and the
# warehouse. Ctrl-C stops it cleanly (buffers flushed, offsets committed); the broker keeps running in the
# background (`node bin/feedctl.js stack down` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent build
node bin/feedctl.js stack up
exec node bin/feedctl.js reconcile --watch
