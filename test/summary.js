// Sums the Vitest and Playwright JSON reports into the closing line CI reads:
// "N passed, N failed, N skipped". A missing report counts as a failed suite.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.tmp/reports';
let passed = 0, failed = 0, skipped = 0;

const vitestFile = join(dir, 'vitest.json');
if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += v.numPassedTests; failed += v.numFailedTests; skipped += v.numPendingTests + v.numTodoTests;
  if (v.numTotalTests === 0) { console.log('vitest ran no test'); failed += 1; }
  console.log(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed, ${v.numPendingTests} skipped`);
} else { console.log('vitest: no report (the suite did not run)'); failed += 1; }

const pwFile = join(dir, 'playwright.json');
if (existsSync(pwFile)) {
  const p = JSON.parse(readFileSync(pwFile, 'utf8'));
  const s = p.stats ?? {};
  const pwPassed = (s.expected ?? 0) + (s.flaky ?? 0);
  const pwFailed = s.unexpected ?? 0;
  passed += pwPassed; failed += pwFailed; skipped += s.skipped ?? 0;
  console.log(`playwright: ${pwPassed} passed, ${pwFailed} failed, ${s.skipped ?? 0} skipped${s.flaky ? ` (${s.flaky} flaky)` : ''}`);
  if ((p.errors ?? []).length > 0) { console.log(`playwright: ${p.errors.length} errors outside tests`); failed += p.errors.length; }
} else { console.log('playwright: no report (the suite did not run)'); failed += 1; }

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
