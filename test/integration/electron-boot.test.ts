/**
 * Boot of the built desktop app (package.json "main", i.e. dist/electron/main.js after
 * `npm run build`) in Node, with `electron` resolved to the lifecycle-faithful stand-in through
 * Node's module hooks (test/electron-stand-in/register.mjs). The driver loads the bundle the way
 * Electron does — import, wait for evaluation, then emit `ready` — and reports what the app did.
 *
 * The second test runs the same check on a fixture main that awaits `whenReady()` at its top
 * level (the bug that left the app without a window) and expects the check to fail.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../preload/contract';
import { freePort } from '../helpers/ports';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DRIVER = 'test/electron-stand-in/boot-driver.ts';
const REGISTER = './test/electron-stand-in/register.mjs';
const TLA_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'electron-tla-main', 'main.js');

interface Outcome {
  ok?: boolean;
  code?: string;
  thrown?: string;
}
interface BootReport {
  evaluated: boolean;
  hang?: string;
  evaluationError?: string;
  ready: boolean;
  sandboxEnabled?: boolean;
  windowCount?: number;
  mainWindow?: {
    url: string;
    status: number | null;
    csp: string | null;
    servesRenderer: boolean;
    webPreferences: Record<string, unknown>;
  };
  channels?: Record<string, Record<'top' | 'subFrame' | 'gone', Outcome>>;
  afterReadyError?: string;
  quit?: boolean;
  exitCode: number | null;
  errorBoxes: Array<{ title: string; content: string }>;
}

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
});

/** The bundle package.json names, which must have been built. */
function builtMain(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
  const main = path.join(ROOT, pkg.main);
  if (!fs.existsSync(main)) throw new Error(`${pkg.main} is missing: run \`npm run build\` first`);
  return main;
}

async function boot(main: string): Promise<BootReport> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-boot-'));
  homes.push(home);
  const env = {
    ...process.env,
    PATCHBAY_HOME: home,
    PATCHBAY_SKIP_PROTOCOL_CLIENT: '1',
    PATCHBAY_KEYCHAIN_SERVICE: `PatchbayBoot-${randomBytes(6).toString('hex')}`,
    PATCHBAY_SANDBOX_PORT: String(await freePort()),
  };
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--import', REGISTER, DRIVER, main],
      { cwd: ROOT, env, timeout: 60_000 },
      (error, out, err) => (error ? reject(new Error(`boot driver failed: ${error.message}\n${err}`)) : resolve(out)),
    );
  });
  const line = stdout.split('\n').find((l) => l.startsWith('BOOT-REPORT '));
  if (!line) throw new Error(`boot driver printed no report:\n${stdout}`);
  return JSON.parse(line.slice('BOOT-REPORT '.length)) as BootReport;
}

/** What a working desktop start looks like. Throws (an assertion error) on the first difference. */
function expectWorkingStart(report: BootReport): void {
  expect(report.hang, 'the main module must finish evaluating (Electron emits ready only after that)').toBeUndefined();
  expect(report.evaluated, report.evaluationError).toBe(true);
  expect(report.ready).toBe(true);
  expect(report.afterReadyError).toBeUndefined();
  expect(report.sandboxEnabled).toBe(true);
  expect(report.windowCount).toBe(1);
  expect(report.mainWindow).toMatchObject({ url: 'app://patchbay/index.html', status: 200, servesRenderer: true });
  expect(report.mainWindow!.csp).toContain("default-src 'none'");
  expect(report.mainWindow!.webPreferences).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    webviewTag: false,
    preload: path.join(path.dirname(builtMain()), 'preload.cjs'),
  });
  expect(Object.keys(report.channels ?? {}).sort()).toEqual([...CHANNELS].sort());
  for (const channel of CHANNELS) {
    const { top, subFrame, gone } = report.channels![channel]!;
    // An answer is a Result: ok, or a PatchbayError such as invalid_input for the missing arguments.
    expect(top.thrown, `${channel} from the top frame`).toBeUndefined();
    expect(typeof top.ok, `${channel} from the top frame`).toBe('boolean');
    expect(top.code, `${channel} from the top frame`).not.toBe('access_denied');
    expect(subFrame, `${channel} from a sub-frame`).toEqual({ ok: false, code: 'access_denied' });
    expect(gone, `${channel} with senderFrame null`).toEqual({ ok: false, code: 'access_denied' });
  }
  expect(report.errorBoxes).toEqual([]);
  expect(report.quit).toBe(true);
  expect(report.exitCode).toBe(0);
}

describe("desktop start of the built bundle, with Electron's start-up order", () => {
  it('evaluates, then on ready serves app://patchbay hardened, answers every channel from the top frame only, shows no error and quits cleanly', async () => {
    expectWorkingStart(await boot(builtMain()));
  });

  it('fails the same check for a main that awaits whenReady() at its top level', async () => {
    builtMain();
    const report = await boot(TLA_FIXTURE);
    expect(report.hang).toMatch(/still evaluating/);
    expect(() => expectWorkingStart(report)).toThrow(/finish evaluating/);
  });
});
