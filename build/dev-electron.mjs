/**
 * `npm run dev`: rebuild the renderer and the Electron bundles on change and restart the app.
 *
 * Uses Vite's own watch mode for both builds (vite.config.ts, modes "development" and
 * "electron") and restarts Electron after any rebuild settles. Restarting (rather than hot
 * reloading the page) keeps the dev app identical to `npm start`: same app:// protocol, same CSP,
 * same sandboxed preload. Environment variables (PATCHBAY_HOME, ...) pass through unchanged.
 */
import { spawn } from 'node:child_process';
import { build } from 'vite';
import { NO_ELECTRON_MESSAGE, electronBinaryPath } from './electron-binary.mjs';

const electronPath = electronBinaryPath();
if (!electronPath) {
  process.stderr.write(`${NO_ELECTRON_MESSAGE}\n`);
  process.exit(1);
}
let child = null;
let timer = null;
let stopping = false;

function startElectron() {
  child = spawn(electronPath, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => {
    if (!stopping && code !== null && timer === null)
      console.log(`[dev] Electron exited (${code}); waiting for changes.`);
  });
}

function restartSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    if (child && child.exitCode === null) {
      child.once('exit', startElectron);
      child.kill();
    } else {
      startElectron();
    }
  }, 300);
}

async function watch(mode) {
  const watcher = await build({ mode, build: { watch: {} } });
  watcher.on('event', (event) => {
    if (event.code === 'END') restartSoon();
    if (event.code === 'ERROR') console.error(`[dev] ${mode} build failed:`, event.error?.message ?? event.error);
  });
  return watcher;
}

const watchers = await Promise.all([watch('development'), watch('electron')]);
process.on('SIGINT', async () => {
  stopping = true;
  child?.kill();
  await Promise.all(watchers.map((w) => w.close()));
  process.exit(0);
});
