/**
 * Launch the real Electron app for the e2e fixture (fixtures.ts loads this lazily).
 *
 * Playwright drives Electron through `_electron.launch`, which needs the Node inspector and
 * remote debugging — exactly what the packaging fuses switch off. So the e2e suite runs the
 * *unpackaged* app: the Electron binary from node_modules/electron (or
 * ELECTRON_OVERRIDE_DIST_PATH) with the project folder, whose package.json "main" is
 * dist/electron/main.js. This file never `require`s the electron package: its index.js would
 * try to download the binary when it is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinaryPath } from '../../build/electron-binary.mjs';
import { _electron, type ElectronApplication, type Page } from 'playwright';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Electron executable to launch, or null when this machine has none (shared with `npm start`). */
export { electronBinaryPath } from '../../build/electron-binary.mjs';

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
  const executablePath = electronBinaryPath();
  if (!executablePath) throw new Error('No Electron binary: install electron normally or set ELECTRON_OVERRIDE_DIST_PATH.');
  const mainBundle = path.join(REPO_ROOT, 'dist', 'electron', 'main.js');
  if (!fs.existsSync(mainBundle) || !fs.existsSync(path.join(REPO_ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error('The app is not built: run `npm run build && npm run build:electron` first.');
  }
  const app = await _electron.launch({
    executablePath,
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
