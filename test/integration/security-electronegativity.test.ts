/**
 * Electronegativity in CI: the real scan of main/, preload/ and renderer/ (test/security/
 * electronegativity.sh) must look at every source file and end with no unexplained HIGH or
 * CRITICAL finding, and the checker that decides it must really fail on one (proven with
 * synthetic reports) and on any report it cannot read: a renamed header, a short row, an unknown
 * severity, rows missing, files the scan skipped or could not parse.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CHECK = path.join(ROOT, 'test/security/electronegativity-check.mjs');

const CSV_HEADER = 'issue, severity, confidence, filename, location, sample, description, url\n';
const HIGH =
  'LIMIT_NAVIGATION_GLOBAL_CHECK,"HIGH","CERTAIN","N/A","0:0",N/A,"Missing navigation limits, using ""new-window""\nand will-navigate",https://example.test\n';
const MEDIUM =
  'OPEN_EXTERNAL_JS_CHECK,"MEDIUM","TENTATIVE","main/x.ts","3:4","shell.openExternal(u)","Review the use of openExternal",https://example.test\n';
const EXPLAINED =
  '## Electronegativity findings\n\n| Check | File | Why |\n|---|---|---|\n| LIMIT_NAVIGATION_GLOBAL_CHECK | N/A | The main window installs will-navigate and window-open guards in main-window.ts. |\n';
const scanOf = (issueCount: number, extra: object = {}) => ({
  expectedFiles: 10,
  listedFiles: 10,
  scannedFiles: 10,
  unscanned: [],
  parseErrors: [],
  issueCount,
  ...extra,
});

async function check(
  csv: string,
  docs: string,
  scan: object = scanOf(csv.split('_CHECK,').length - 1),
): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-en-'));
  try {
    await writeFile(path.join(dir, 'r.csv'), csv);
    await writeFile(path.join(dir, 'scan.json'), JSON.stringify(scan));
    await writeFile(path.join(dir, 'security.md'), docs);
    const args = [
      CHECK,
      path.join(dir, 'r.csv'),
      path.join(dir, 'scan.json'),
      path.join(dir, 'security.md'),
      path.join(dir, 'r.md'),
    ];
    return await run(process.execPath, args).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Our own count of the files the scan must cover (walked here, not by the scripts under test). */
async function countSources(): Promise<number> {
  let n = 0;
  for (const top of ['main', 'preload', 'renderer']) {
    const entries = await readdir(path.join(ROOT, top), { recursive: true, withFileTypes: true });
    n += entries.filter((e) => e.isFile() && /\.(m|c)?(t|j)sx?$|\.html?$/.test(e.name)).length;
  }
  return n;
}

describe('Electronegativity', () => {
  it('the checker fails on an unexplained HIGH finding and accepts an explained one', async () => {
    const unexplained = await check(CSV_HEADER + HIGH, '# Security\n');
    expect(unexplained.code).toBe(1);
    expect(unexplained.out).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK (HIGH)');
    const explained = await check(CSV_HEADER + HIGH + MEDIUM, EXPLAINED);
    expect(explained.out).toContain('2 finding(s); 1 HIGH/CRITICAL, 0 of them unexplained');
    expect(explained.code).toBe(0);
    const tooShort = await check(
      CSV_HEADER + HIGH,
      '## Electronegativity findings\n\n| LIMIT_NAVIGATION_GLOBAL_CHECK | N/A | fine |\n',
    );
    expect(tooShort.code).toBe(1);
  });

  it('fails on a report it cannot read instead of passing with no findings', async () => {
    const cases: Array<[string, string, string]> = [
      ['renamed header', CSV_HEADER.replace('severity', 'level') + HIGH, 'unexpected header'],
      ['reordered header', CSV_HEADER.replace('issue, severity', 'severity, issue') + HIGH, 'unexpected header'],
      ['missing field', CSV_HEADER + HIGH.replace(',https://example.test', ''), 'has 7 fields'],
      ['unknown severity', CSV_HEADER + HIGH.replace('"HIGH"', '"SEVERE"'), 'unknown severity'],
      [
        'not a check name',
        CSV_HEADER + HIGH.replace('LIMIT_NAVIGATION_GLOBAL_CHECK', 'Limit navigation'),
        'is not a check name',
      ],
      ['bad location', CSV_HEADER + HIGH.replace('"0:0"', '"line 3"'), 'is not line:column'],
      ['unclosed quote', CSV_HEADER + HIGH.replace('will-navigate"', 'will-navigate'), 'never closed'],
      ['empty file', '', 'unexpected header'],
    ];
    for (const [what, csv, message] of cases) {
      const r = await check(csv, EXPLAINED, scanOf(1));
      expect(r.code, what).toBe(1);
      expect(r.out, what).toContain(message);
    }
  });

  it('fails when the CSV lost findings the scan returned, or the scan skipped files', async () => {
    const lost = await check(CSV_HEADER + MEDIUM, EXPLAINED, scanOf(2));
    expect(lost.code).toBe(1);
    expect(lost.out).toContain('the CSV holds 1 finding(s) but the scan returned 2');
    const skipped = await check(
      CSV_HEADER + MEDIUM,
      EXPLAINED,
      scanOf(1, { scannedFiles: 9, unscanned: ['main/new.mjs'] }),
    );
    expect(skipped.code).toBe(1);
    expect(skipped.out).toContain('not scanned: main/new.mjs');
    const unparsed = await check(
      CSV_HEADER + MEDIUM,
      EXPLAINED,
      scanOf(1, { parseErrors: [{ file: 'main/x.ts', message: 'Unexpected token' }] }),
    );
    expect(unparsed.code).toBe(1);
    expect(unparsed.out).toContain('could not parse main/x.ts');
    const nothing = await check(
      CSV_HEADER,
      EXPLAINED,
      scanOf(0, { expectedFiles: 0, listedFiles: 0, scannedFiles: 0 }),
    );
    expect(nothing.code).toBe(1);
    expect(nothing.out).toContain('no source file');
  });

  it(
    'the scan of main/, preload/ and renderer/ covers every source file and has no unexplained HIGH or CRITICAL finding',
    { timeout: 180_000 },
    async () => {
      const result = await run(path.join(ROOT, 'test/security/electronegativity.sh'), [], { cwd: ROOT }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}\n${e.stderr}` }),
      );
      expect(result.code, result.out).toBe(0);
      const scan = JSON.parse(
        await readFile(path.join(ROOT, '.tmp/electronegativity/scan.json'), 'utf8'),
      ) as ReturnType<typeof scanOf>;
      const sources = await countSources();
      expect(sources).toBeGreaterThan(50);
      expect(scan).toMatchObject({ expectedFiles: sources, scannedFiles: sources, unscanned: [], parseErrors: [] });
      const report = await readFile(path.join(ROOT, '.tmp/electronegativity/report.md'), 'utf8');
      expect(report).toContain(`${sources} source file(s) scanned. ${scan.issueCount} finding(s)`);
    },
  );
});
