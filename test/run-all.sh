#!/usr/bin/env bash
# `npm test`: lint, type-check and build, then every suite against a real Secret Service
# (test/with-keyring.sh): Vitest unit + integration, then the Playwright end-to-end specs.
# Ends with one line "N passed, N failed, N skipped" summed over the suites. Tests must not rewrite
# tracked files: the run fails if any tracked file changed while the suites ran.
set -uo pipefail
cd "$(dirname "$0")/.."
reports=.tmp/reports
rm -rf "$reports"; mkdir -p "$reports"
status=0
run() { echo; echo "== $*"; "$@" || status=1; }

# Each modified or deleted tracked file with its content hash, before and after the suites, so an
# edit made by a test shows up even in a file that was already dirty before the run.
tracked_state() { git ls-files -m -d | sort -u | while IFS= read -r f; do echo "$f $(git hash-object -- "$f" 2>/dev/null || echo deleted)"; done; }
before=$(tracked_state)

run npm run -s lint   # eslint (layers, promise rules) and the Prettier check
# Each runtime with its own lib (Node, Electron, renderer), then tests and configs.
run npm run -s typecheck
run npm run -s build
# The CLI tests spawn the built dist/node/patchbay.js (what users run), not the TypeScript source.
export PATCHBAY_TEST_CLI=dist
run test/with-keyring.sh npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json"
PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" run test/with-keyring.sh npx playwright test --reporter=list,json

echo
after=$(tracked_state)
# test/summary.js counts every line of this file as a failure, so the closing line says so too.
comm -13 <(echo "$before") <(echo "$after") | sed 's/ [^ ]*$//' | grep . > "$reports/tracked-changes.txt" || rm -f "$reports/tracked-changes.txt"
node test/summary.js "$reports" || status=1
exit $status
