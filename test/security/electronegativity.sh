#!/usr/bin/env bash
# Electronegativity (@doyensec/electronegativity) over the Electron-facing code: main/, preload/ and
# renderer/, scanned together so its global checks (navigation limits, permission handler, CSP)
# see the main process that installs them. It takes one input folder, so the three folders are
# copied side by side into .tmp/electronegativity/src first. electronegativity-scan.mjs runs it
# through its Node API (the CLI hides parse errors) and writes the raw CSV plus scan.json (files
# expected, files scanned, parse errors); electronegativity-check.mjs then fails (exit 1) on any
# report it cannot read, any source file not scanned, and any HIGH or CRITICAL finding that is
# not explained in docs/security.md ("Electronegativity findings" table). Works offline.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.tmp/electronegativity
rm -rf "$out"; mkdir -p "$out/src"
cp -R main preload renderer "$out/src/"
# The Electron version in package.json, so the tool needs no network lookup; no guessing.
electron_version=$(node -p "require('./node_modules/electron/package.json').version")
node test/security/electronegativity-scan.mjs "$out/src" "$out/report.csv" "$out/scan.json" "$electron_version" > "$out/electronegativity.log" 2>&1 || {
  echo "electronegativity failed to run; see $out/electronegativity.log" >&2; tail -20 "$out/electronegativity.log" >&2; exit 1; }
tail -1 "$out/electronegativity.log"
exec node test/security/electronegativity-check.mjs "$out/report.csv" "$out/scan.json" docs/security.md "$out/report.md"
