// Sums the Vitest and Playwright JSON reports into the closing line CI reads:
// "N passed, N failed, N skipped", and exits 1 unless the run really proved something.
//
// A run cannot pass on nothing: a missing or unreadable report, a test file that failed to load
// (Vitest lists it with zero tests and a file-level error; Playwright puts it in `errors`), a
// hook that failed outside any test, a suite that executed no test at all, or a report whose
// own verdict is "failed" all count as failures, whatever the per-test numbers say. So does a
// tracked file the run changed (test/run-all.sh lists them in tracked-changes.txt).
import { readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const dir = process.argv[2] ?? '.tmp/reports';
let passed = 0,
  failed = 0,
  skipped = 0;
const problems = [];

/** Read a JSON report; a missing or unreadable one is itself a failure of its suite. */
function readReport(name, label) {
  const file = join(dir, name);
  if (!existsSync(file)) {
    problems.push(`${label}: no report (the suite did not run)`);
    return null;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${label}: unreadable report ${file} (${error.message})`);
    return null;
  }
}

const num = (v) => (Number.isFinite(v) ? v : 0);

const v = readReport('vitest.json', 'vitest');
if (v) {
  const vPassed = num(v.numPassedTests),
    vFailed = num(v.numFailedTests);
  passed += vPassed;
  failed += vFailed;
  skipped += num(v.numPendingTests) + num(v.numTodoTests);
  console.log(`vitest: ${vPassed} passed, ${vFailed} failed, ${num(v.numPendingTests) + num(v.numTodoTests)} skipped`);
  // A file that throws on import (or whose beforeAll/afterAll throws) has status "failed" but no
  // failed test in it: without this it would vanish from the totals.
  for (const file of v.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed').length;
    if (file.status !== 'passed' && file.status !== 'skipped' && file.status !== 'pending' && failedTests === 0) {
      const where = relative(process.cwd(), String(file.name ?? '?'));
      problems.push(
        `vitest: ${where} failed outside its tests: ${String(file.message ?? file.status)
          .split('\n')[0]
          .slice(0, 200)}`,
      );
    }
  }
  if (!Array.isArray(v.testResults)) problems.push('vitest: the report lists no test files');
  if (vPassed + vFailed === 0) problems.push('vitest: no test executed');
  if (v.success === false && vFailed === 0 && !problems.some((p) => p.startsWith('vitest:'))) {
    problems.push('vitest: the report says the run failed');
  }
}

const p = readReport('playwright.json', 'playwright');
if (p) {
  const s = p.stats ?? {};
  const pwPassed = num(s.expected) + num(s.flaky);
  const pwFailed = num(s.unexpected);
  passed += pwPassed;
  failed += pwFailed;
  skipped += num(s.skipped);
  console.log(
    `playwright: ${pwPassed} passed, ${pwFailed} failed, ${num(s.skipped)} skipped${s.flaky ? ` (${s.flaky} flaky)` : ''}`,
  );
  // Load errors (a spec that throws on import), global setup failures and the like.
  for (const error of p.errors ?? []) {
    problems.push(
      `playwright: error outside tests: ${String(error.message ?? error)
        .split('\n')[0]
        .slice(0, 200)}`,
    );
  }
  if (!p.stats) problems.push('playwright: the report has no stats');
  if (pwPassed + pwFailed === 0) problems.push('playwright: no test executed');
}

// Written by test/run-all.sh when tracked files changed while the suites ran.
const trackedFile = join(dir, 'tracked-changes.txt');
if (existsSync(trackedFile)) {
  for (const line of readFileSync(trackedFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')) {
    problems.push(`tracked file changed by the test run: ${line}`);
  }
}

for (const problem of problems) console.log(problem);
failed += problems.length;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
