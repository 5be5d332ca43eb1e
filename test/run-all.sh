#!/usr/bin/env bash
# `npm test`: lint, type-check and build, then every suite against a real Secret Service
# (test/with-keyring.sh): Vitest unit + integration, then the Playwright end-to-end specs.
# Ends with one line "N passed, N failed, N skipped" summed over the suites.
set -uo pipefail
cd "$(dirname "$0")/.."
reports=.tmp/reports
rm -rf "$reports"; mkdir -p "$reports"
status=0
run() { echo; echo "== $*"; "$@" || status=1; }

run npx eslint .
# Each runtime with its own lib (Node, Electron, renderer), then tests and configs.
run npm run -s typecheck
run npm run -s build
# The CLI tests spawn the built dist/node/patchbay.js (what users run), not the TypeScript source.
export PATCHBAY_TEST_CLI=dist
run test/with-keyring.sh npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json"
PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" run test/with-keyring.sh npx playwright test --reporter=list,json

echo
node test/summary.js "$reports" || status=1
exit $status
