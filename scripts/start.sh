#!/usr/bin/env bash
# `npm start`: the main job on a local stack. Installs what is missing, builds, brings Kafka and MySQL up
# (idempotent), applies control-plane migrations and prints where everything is, then exits; the broker keeps
# running in the background (`node bin/feedctl.js stack down` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent build
node bin/feedctl.js stack up
