/**
 * Run Electronegativity through its Node API (not its CLI) so nothing it does is silent.
 *
 * Its CLI, when writing a CSV, prints nothing: a file it cannot parse is dropped from the scan
 * without a word, and a file type it does not list (.mjs, .cts...) is never looked at. The API
 * returns the parse errors, and `list_files` is the very function its directory loader uses, so
 * this script can say exactly which files were scanned and compare them with our own count of
 * source files. It writes the CSV report and `scan.json`:
 * `{ expectedFiles, listedFiles, scannedFiles, unscanned[], parseErrors[], issueCount }`.
 *
 * Usage: node electronegativity-scan.mjs <input dir> <report.csv> <scan.json> <electron version>
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const { list_files: listFiles } = require('@doyensec/electronegativity/dist/util/index.js');

/** Every file that can hold code the Electron app runs, by our own rule (not the tool's). */
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|html|htm)$/i;

/** Source files under `root`, relative to it, found by walking the tree ourselves. */
export function sourceFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (SOURCE.test(entry.name)) out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}

async function main() {
  const [input, csvPath, scanPath, electronVersion] = process.argv.slice(2);
  if (!input || !csvPath || !scanPath || !electronVersion) {
    console.error('usage: electronegativity-scan.mjs <input dir> <report.csv> <scan.json> <electron version>');
    process.exit(2);
  }
  const root = path.resolve(input);
  const expected = sourceFiles(root);
  const listed = ((await listFiles(root)) ?? []).map((f) => path.relative(root, f)).sort();
  const result = await run(
    {
      input: root,
      output: path.resolve(csvPath),
      isSarif: false,
      customScan: [],
      excludeFromScan: [],
      isRelative: true,
      isVerbose: true,
      electronUpgrade: undefined,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
  // A non-tolerable error means the file was not parsed, so none of the checks looked at it.
  const parseErrors = result.errors
    .filter((e) => !e.tolerable)
    .map((e) => ({ file: path.relative(root, e.file), message: e.message }));
  const failed = new Set(parseErrors.map((e) => e.file));
  const scanned = listed.filter((f) => !failed.has(f));
  const summary = {
    expectedFiles: expected.length,
    listedFiles: listed.length,
    scannedFiles: scanned.length,
    unscanned: expected.filter((f) => !scanned.includes(f)),
    parseErrors,
    issueCount: result.issues.length,
  };
  writeFileSync(scanPath, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `Electronegativity scanned ${summary.scannedFiles} of ${summary.expectedFiles} source file(s); ${summary.issueCount} finding(s).`,
  );
}

await main();
