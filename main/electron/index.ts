/**
 * Patchbay's Electron main process: a checklist of small steps, in the order they must run.
 *
 * Steps 0-3 run synchronously before `ready`; steps 4-8 run in the `ready` callback. Electron
 * imports an ESM main with `await import()` and emits `ready` only after that import settled
 * (lib/browser/init.ts, then NodeBindings::JoinAppCode), so this module must never await `ready`
 * at its top level: it would wait for itself and the app would hang with no window.
 * Every decision lives in the step's own module; this file only wires them.
 */
import { app, dialog, session, type BrowserWindow } from 'electron';
import { toPatchbayError } from '../core/model/errors';
import { healthIntervalFromEnv } from '../host/health-settings';
import { applyHome, bundlePaths } from './app-home';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { createElectronCore } from './core-setup';
import { startElectronHost } from './host-adapter';
import { createDeepLinkIntake } from './deep-link-intake';
import { DeepLinkQueue } from './deep-link-queue';
import { isTrustedSender, registerIpcHandlers } from './ipc';
import { createMainWindow } from './main-window';
import { registerProtocolClient } from './protocol-client';
import { guardAllWebContents, hardenDefaultSession } from './session-policy';
import { bringToFront, claimSingleInstance } from './single-instance';

const env = process.env;
let mainWindow: BrowserWindow | null = null;
const currentWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null);

// 0. Home: PATCHBAY_HOME becomes userData (before the lock, which lives there).
const config = applyHome(env);
// Every renderer sandboxed, whatever a window's options say; no web contents opens windows.
app.enableSandbox();
guardAllWebContents(app);

// 1. Single instance: a second launch forwards its argv (maybe a callback link) and quits.
const queue = new DeepLinkQueue();
const intake = createDeepLinkIntake(queue, () => bringToFront(currentWindow()));
if (!claimSingleInstance((argv) => intake.fromArgv(argv))) {
  app.quit();
} else {
  // 2. Schemes: app:// for the page (privileged, before ready); patchbay:// with the OS.
  registerAppScheme();
  registerProtocolClient(env);
  // 3. Callback links: macOS open-url before ready; this launch's own argv (Windows/Linux).
  intake.listenForOpenUrl();
  intake.fromArgv(process.argv);
  // 4-8 after ready. Not awaited: the module finishes evaluating first, then Electron emits ready.
  app.whenReady().then(start).catch(fail);
}

/**
 * A start-up failure gets one plain dialog (its message is a PatchbayError sentence or generic).
 * showErrorBox is the one dialog Electron allows before ready (docs/api/dialog.md).
 */
function fail(error: unknown): void {
  const message = toPatchbayError(error).message;
  console.error('Patchbay could not start:', message);
  dialog.showErrorBox('Patchbay could not start', message);
  app.exit(1);
}

/** Steps 4-8: everything that needs a ready app (sessions, protocol handlers, windows). */
function start(): void {
  // 4. Session: deny permissions and remote loads; serve dist/renderer with the CSP header.
  const paths = bundlePaths(import.meta.url);
  hardenDefaultSession(session.defaultSession);
  serveRenderer(session.defaultSession, paths.renderer);

  // 5. Core: electron-store settings, keytar vault, embedded + browser authorizers.
  const { core, settings, focusSignIn, useBrowser } = createElectronCore(env, config, queue, currentWindow);

  // 6. Host layer (refresh scheduler, batched events, link policy, health checks and their
  //    desktop notifications) over IPC: one handler per contract channel, main-window top frame only.
  const healthIntervalMs = healthIntervalFromEnv(env);
  const host = startElectronHost({
    core,
    version: app.getVersion(),
    settingsNotice: () => settings.notice,
    window: currentWindow,
    useBrowser,
    ...(healthIntervalMs === undefined ? {} : { health: { intervalMs: healthIntervalMs } }),
  });
  registerIpcHandlers(host.handlers, (event) => isTrustedSender(currentWindow(), event));

  // 7. Window (and again on macOS dock click).
  const openWindow = () => {
    mainWindow = createMainWindow({
      preloadPath: paths.preload,
      openLink: (url) => void host.openLink(url),
      focusSignIn,
    });
  };
  openWindow();
  app.on('activate', () => {
    if (!currentWindow()) openWindow();
  });

  // 8. Shutdown: quit with the last window (also on macOS: a connection manager has no
  //    background work), then stop the host services and let the core finish writes.
  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    host
      .stop()
      .then(() => core.close())
      .then(
        () => app.quit(),
        (error: unknown) => {
          console.error(
            `Patchbay could not finish its writes before quitting: ${error instanceof Error ? error.message : String(error)}`,
          );
          app.quit();
        },
      );
  });
}
