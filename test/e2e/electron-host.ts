/**
 * Launch the real Electron app for the e2e fixture (fixtures.ts loads this lazily).
 *
 * Playwright drives Electron through `_electron.launch`, which needs the Node inspector and
 * remote debugging — exactly what the packaging fuses switch off. So the e2e suite runs the
 * *unpackaged* app: the Electron binary from node_modules/electron (or
 * ELECTRON_OVERRIDE_DIST_PATH) with the project folder, whose package.json "main" is
 * dist/electron/main.js.
 *
 * Electron 45 has no install script: the binary arrives on first use of the `electron` package
 * or with `npx install-electron --no` (docs/tutorial/installation.md, "Binary download step").
 * This file looks for it without `require`-ing the package, whose index.js would start a download.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinaryPath } from '../../build/electron-binary.mjs';
import { _electron, type ElectronApplication, type Page } from 'playwright';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Electron executable to launch, or null when this machine has none (shared with `npm start`). */
export { electronBinaryPath } from '../../build/electron-binary.mjs';

/** The loud line a run prints when the electron project cannot run here. */
export const NO_ELECTRON =
  'No Electron binary (node_modules/electron/dist or ELECTRON_OVERRIDE_DIST_PATH). Electron 45 downloads it on first use; install it with `npx install-electron --no`';

/** What the electron project does on this machine. */
export type ElectronPlan =
  { kind: 'run'; binary: string } | { kind: 'skip'; reason: string } | { kind: 'fail'; reason: string };

/**
 * Run when a binary exists; otherwise skip with a reason, unless PATCHBAY_REQUIRE_ELECTRON=1
 * (CI where Electron can be downloaded): then every electron test fails with that reason.
 */
export function electronPlan(env: NodeJS.ProcessEnv = process.env, root: string = REPO_ROOT): ElectronPlan {
  const binary = electronBinaryPath(env, root);
  if (binary) return { kind: 'run', binary };
  if (env.PATCHBAY_REQUIRE_ELECTRON === '1') {
    return { kind: 'fail', reason: `PATCHBAY_REQUIRE_ELECTRON=1, but: ${NO_ELECTRON}.` };
  }
  return { kind: 'skip', reason: `${NO_ELECTRON}; the same user story runs on the web host` };
}

export interface LaunchedElectronHost {
  app: ElectronApplication;
  /** The main window. */
  page: Page;
  close(): Promise<void>;
}

/**
 * Start the built app with `env` added to this process's environment and wait for the main window.
 *
 * Needs `npm run build` and `npm run build:electron` first. PATCHBAY_SKIP_PROTOCOL_CLIENT keeps a
 * test run from registering itself as the machine's patchbay:// handler.
 */
export async function launchElectronHost(env: Record<string, string>): Promise<LaunchedElectronHost> {
  if (!electronBinaryPath()) throw new Error(`${NO_ELECTRON}.`);
  const mainBundle = path.join(REPO_ROOT, 'dist', 'electron', 'main.js');
  if (!fs.existsSync(mainBundle) || !fs.existsSync(path.join(REPO_ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error('The app is not built: run `npm run build && npm run build:electron` first.');
  }
  // No executablePath, as Playwright documents: it then runs the `electron` package's binary with
  // its loader (-r loader.js), which holds `ready` until Playwright has attached. Passing
  // executablePath skips that loader, and the app could be ready before Playwright listens.
  const app = await _electron.launch({
    args: ['.'],
    cwd: REPO_ROOT,
    env: { ...(process.env as Record<string, string>), ...env, PATCHBAY_SKIP_PROTOCOL_CLIENT: '1' },
    timeout: 60_000,
  });
  try {
    const page = await app.firstWindow();
    // The renderer marks <body data-ready="true"> once the bridge answered (same as the web host).
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    return { app, page, close: () => app.close() };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}
