/**
 * Where the Electron executable is, without downloading it.
 *
 * node_modules/electron/index.js downloads the binary when it is missing and, where that host
 * cannot be reached, fails with advice to delete node_modules/electron and reinstall, which does
 * not help. `npm start`, `npm run dev` and the e2e fixture use this lookup instead, so a machine
 * without the binary gets one sentence pointing to the web host. It mirrors index.js: `path.txt`
 * (written by electron's install script) names the executable inside `dist/`, and
 * ELECTRON_OVERRIDE_DIST_PATH replaces `dist/`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The one sentence shown when there is no Electron binary. */
export const NO_ELECTRON_MESSAGE =
  "Patchbay's desktop app needs Electron's binary, which could not be downloaded on this machine; run `npm run web` to use the same app in your browser.";

/** The Electron executable, or null when this machine has none. */
export function electronBinaryPath(env = process.env, root = REPO_ROOT) {
  const packageDir = path.join(root, 'node_modules', 'electron');
  let relative = null;
  try {
    relative = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim() || null;
  } catch {
    relative = null;
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH?.trim();
  const candidate = override
    ? path.join(override, relative ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'))
    : relative
      ? path.join(packageDir, 'dist', relative)
      : null;
  return candidate && fs.existsSync(candidate) ? candidate : null;
}
