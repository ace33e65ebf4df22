#!/usr/bin/env bash
# `npm test`: install what is missing, build, typecheck + lint + format check, bring the local Kafka and MySQL up
# (idempotent: a running stack is reused, a killed broker is restarted) and the test suite's own S3Proxy (port 9311,
# bucket feedctl-test, or FEEDCTL_TEST_S3_ENDPOINT), then run the whole vitest suite.
# Extra arguments go to vitest (e.g. `npm test -- test/unit`).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
bash scripts/ensure-deps.sh
bash scripts/ensure-kcat.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-promtool.sh >/dev/null
npm run --silent build
npm run --silent check
node bin/feedctl.js stack up --no-migrate
export FEEDCTL_TEST_S3_ENDPOINT="${FEEDCTL_TEST_S3_ENDPOINT:-http://127.0.0.1:9311}"
FEEDCTL_LAKE_ROOT=s3://feedctl-test FEEDCTL_LAKE_S3_ENDPOINT="$FEEDCTL_TEST_S3_ENDPOINT" \
  node bin/feedctl.js stack up --no-migrate
mkdir -p .feedctl
# Runtime tests log every dead letter and retry at warn; keep the output to errors unless asked otherwise.
export FEEDCTL_LOG_LEVEL="${FEEDCTL_LOG_LEVEL:-error}"
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=.feedctl/vitest-report.json "$@"
rc=$?
set -e
node scripts/test-summary.mjs .feedctl/vitest-report.json "$(( $(date +%s) - started ))"
exit $rc
