/**
 * test/summary.js, the last line of `npm test`: fed the report shapes Vitest and Playwright
 * really write (including a test file that throws on import, which Vitest lists with no test in
 * it and Playwright lists only under `errors`), it must never print "0 failed" for a run that
 * failed to load something or executed nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SUMMARY = path.resolve(import.meta.dirname, '../summary.js');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const passingFile = {
  name: '/repo/test/unit/a.test.ts',
  status: 'passed',
  message: '',
  assertionResults: [{ status: 'passed' }, { status: 'passed' }],
};
/** What Vitest 5 writes for a file whose top level throws: status failed, no tests. */
const brokenFile = {
  name: '/repo/test/unit/broken.test.ts',
  status: 'failed',
  message: 'boom on import',
  assertionResults: [],
};

function vitest(files: object[], extra: object = {}): object {
  const tests = files.flatMap((f) => (f as { assertionResults: Array<{ status: string }> }).assertionResults);
  return {
    numTotalTests: tests.length,
    numPassedTests: tests.filter((t) => t.status === 'passed').length,
    numFailedTests: tests.filter((t) => t.status === 'failed').length,
    numPendingTests: tests.filter((t) => t.status === 'skipped' || t.status === 'pending').length,
    numTodoTests: 0,
    success: files.every((f) => (f as { status: string }).status === 'passed'),
    testResults: files,
    ...extra,
  };
}

const playwright = (stats: object, errors: object[] = []) => ({
  stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 0, ...stats },
  errors,
  suites: [],
});

function summarize(reports: { vitest?: object | string; playwright?: object | string; tracked?: string }): {
  code: number | null;
  out: string;
  last: string;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-summary-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(reports)) {
    const file = name === 'tracked' ? 'tracked-changes.txt' : `${name}.json`;
    fs.writeFileSync(path.join(dir, file), typeof body === 'string' ? body : JSON.stringify(body));
  }
  const r = spawnSync(process.execPath, [SUMMARY, dir], { encoding: 'utf8' });
  const out = r.stdout + r.stderr;
  return { code: r.status, out, last: out.trim().split('\n').at(-1) ?? '' };
}

// Each case starts Node once or more; on a loaded 2-core machine that alone can take seconds.
describe('test/summary.js', { timeout: 30_000 }, () => {
  it('passes a run where both suites executed tests and nothing failed', () => {
    const r = summarize({ vitest: vitest([passingFile]), playwright: playwright({ expected: 3, skipped: 3 }) });
    expect(r.last).toBe('5 passed, 0 failed, 3 skipped');
    expect(r.code).toBe(0);
  });

  it('counts a Vitest file that throws on import as a failure, by name', () => {
    const r = summarize({ vitest: vitest([passingFile, brokenFile]), playwright: playwright({ expected: 3 }) });
    expect(r.last).toBe('5 passed, 1 failed, 0 skipped');
    expect(r.out).toContain('broken.test.ts failed outside its tests: boom on import');
    expect(r.code).toBe(1);
  });

  it('does not count a file twice when its failure is already a failed test', () => {
    const failing = {
      ...passingFile,
      name: '/repo/test/unit/b.test.ts',
      status: 'failed',
      assertionResults: [{ status: 'failed' }],
    };
    const r = summarize({ vitest: vitest([passingFile, failing]), playwright: playwright({ expected: 1 }) });
    expect(r.last).toBe('3 passed, 1 failed, 0 skipped');
    expect(r.code).toBe(1);
  });

  it('counts a Playwright spec that throws on import (reported only under errors)', () => {
    const r = summarize({
      vitest: vitest([passingFile]),
      playwright: playwright({ expected: 2 }, [{ message: 'Error: boom on import\n at x' }]),
    });
    expect(r.last).toBe('4 passed, 1 failed, 0 skipped');
    expect(r.code).toBe(1);
  });

  it('fails a run that executed no test, even with nothing marked failed', () => {
    const onlySkipped = summarize({ vitest: vitest([passingFile]), playwright: playwright({ skipped: 12 }) });
    expect(onlySkipped.out).toContain('playwright: no test executed');
    expect(onlySkipped.code).toBe(1);
    const empty = summarize({ vitest: vitest([]), playwright: playwright({ expected: 1 }) });
    expect(empty.out).toContain('vitest: no test executed');
    expect(empty.code).toBe(1);
  });

  it('fails on a missing, unreadable or self-declared failed report', () => {
    expect(summarize({ playwright: playwright({ expected: 1 }) }).code).toBe(1);
    const garbled = summarize({ vitest: '{"numPassedTests": 4', playwright: playwright({ expected: 1 }) });
    expect(garbled.out).toContain('vitest: unreadable report');
    expect(garbled.code).toBe(1);
    const unhandled = summarize({
      vitest: vitest([passingFile], { success: false }),
      playwright: playwright({ expected: 1 }),
    });
    expect(unhandled.out).toContain('vitest: the report says the run failed');
    expect(unhandled.code).toBe(1);
  });

  it('counts each tracked file the run changed (listed by test/run-all.sh) as a failure', () => {
    const r = summarize({
      vitest: vitest([passingFile]),
      playwright: playwright({ expected: 1 }),
      tracked: 'docs/screenshot.png\ntest/bench/RESULTS.md\n',
    });
    expect(r.out).toContain('tracked file changed by the test run: docs/screenshot.png');
    expect(r.last).toBe('3 passed, 2 failed, 0 skipped');
    expect(r.code).toBe(1);
  });
});
