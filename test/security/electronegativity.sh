#!/usr/bin/env bash
# Electronegativity (@doyensec/electronegativity) over the Electron-facing code: main/, preload/ and
# renderer/, scanned together so its global checks (navigation limits, permission handler, CSP)
# see the main process that installs them. Its CLI takes one --input, so the three folders are
# copied side by side into .tmp/electronegativity/src first. Writes the raw CSV and a readable
# report to .tmp/electronegativity/, then fails (exit 1) on any HIGH or CRITICAL finding that is
# not explained in docs/security.md ("Electronegativity findings" table). Works offline.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.tmp/electronegativity
rm -rf "$out"; mkdir -p "$out/src"
cp -R main preload renderer "$out/src/"
electron_version=$(node -p "require('./node_modules/electron/package.json').version" 2>/dev/null || echo 45.0.0)
# -r: paths relative to the input; -e: the Electron version in package.json (no network lookup needed).
npx electronegativity -i "$out/src" -o "$out/report.csv" -r -e "$electron_version" > "$out/electronegativity.log" 2>&1 || {
  echo "electronegativity failed to run; see $out/electronegativity.log" >&2; tail -20 "$out/electronegativity.log" >&2; exit 1; }
exec npx node test/security/electronegativity-check.mjs "$out/report.csv" docs/security.md "$out/report.md"
