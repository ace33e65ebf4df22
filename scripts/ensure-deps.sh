#!/usr/bin/env bash
# Installs node_modules when missing or older than package-lock.json. Used by `npm start` and `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "feedctl: installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
