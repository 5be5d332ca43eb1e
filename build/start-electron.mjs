/**
 * `npm start`: open the desktop app, or say in one sentence why it cannot start here.
 *
 * Runs the Electron binary directly instead of through the electron package, whose loader, when
 * the binary is missing and cannot be downloaded, fails with advice (delete node_modules/electron,
 * reinstall) that cannot help where Electron's download host is unreachable. A missing binary is
 * downloaded once with the package's own installer; if that fails, the one sentence names
 * `npm run web`. Exit code: Electron's own, or 1 with the sentence on stderr.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { NO_ELECTRON_MESSAGE, REPO_ROOT, electronBinaryPath } from './electron-binary.mjs';

let binary = electronBinaryPath();
// ELECTRON_OVERRIDE_DIST_PATH names a binary the person supplies: nothing to download then.
if (!binary && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  process.stderr.write("Downloading Electron's binary (first start only)…\n");
  const installer = path.join(REPO_ROOT, 'node_modules', 'electron', 'install.js');
  // The installer's own error (a stack trace) is not shown: the sentence below says what to do.
  spawnSync(process.execPath, [installer], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'ignore'] });
  binary = electronBinaryPath();
}
if (!binary) {
  process.stderr.write(`${NO_ELECTRON_MESSAGE}\n`);
  process.exit(1);
}
const child = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: REPO_ROOT, stdio: 'inherit' });
// Ctrl+C reaches Electron too (same process group); this process waits for it to quit.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
