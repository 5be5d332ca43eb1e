/**
 * Electronegativity in CI: the real scan of main/, preload/ and renderer/ (test/security/
 * electronegativity.sh) must end with no unexplained HIGH or CRITICAL finding, and the checker
 * that decides it must really fail on one (proven with a synthetic report).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CHECK = path.join(ROOT, 'test/security/electronegativity-check.mjs');

const CSV_HEADER = 'issue, severity, confidence, filename, location, sample, description, url\n';
const HIGH = 'LIMIT_NAVIGATION_GLOBAL_CHECK,"HIGH","CERTAIN","N/A","0:0",N/A,"Missing navigation limits, using ""new-window""\nand will-navigate",https://example.test\n';

async function check(csv: string, docs: string): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-en-'));
  try {
    await writeFile(path.join(dir, 'r.csv'), csv);
    await writeFile(path.join(dir, 'security.md'), docs);
    const result = await run(process.execPath, [CHECK, path.join(dir, 'r.csv'), path.join(dir, 'security.md'), path.join(dir, 'r.md')]).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('Electronegativity', () => {
  it('the checker fails on an unexplained HIGH finding and accepts an explained one', async () => {
    const unexplained = await check(CSV_HEADER + HIGH, '# Security\n');
    expect(unexplained.code).toBe(1);
    expect(unexplained.out).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK (HIGH)');
    const explained = await check(CSV_HEADER + HIGH, '## Electronegativity findings\n\n| Check | File | Why |\n|---|---|---|\n| LIMIT_NAVIGATION_GLOBAL_CHECK | N/A | The main window installs will-navigate and window-open guards in main-window.ts. |\n');
    expect(explained.code).toBe(0);
    const tooShort = await check(CSV_HEADER + HIGH, '## Electronegativity findings\n\n| LIMIT_NAVIGATION_GLOBAL_CHECK | N/A | fine |\n');
    expect(tooShort.code).toBe(1);
  });

  it('the scan of main/, preload/ and renderer/ has no unexplained HIGH or CRITICAL finding', { timeout: 180_000 }, async () => {
    const result = await run(path.join(ROOT, 'test/security/electronegativity.sh'), [], { cwd: ROOT }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}\n${e.stderr}` }),
    );
    expect(result.code, result.out).toBe(0);
    const report = await readFile(path.join(ROOT, '.tmp/electronegativity/report.md'), 'utf8');
    expect(report).toMatch(/finding\(s\)/);
  });
});
