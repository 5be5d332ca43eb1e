/**
 * Step 1: one Patchbay per user profile.
 *
 * Two app instances writing one settings file and racing for one OAuth callback would confuse
 * both. The second instance hands its command line (which may carry a
 * `patchbay://oauth/callback` link on Windows and Linux) to the first and quits; the first
 * receives it in `second-instance` and comes to the front.
 */
import { app, type BrowserWindow } from 'electron';

/**
 * Take the single-instance lock. Returns false when another instance holds it; the caller
 * must then quit without creating windows.
 *
 * `onSecondInstance` gets the other instance's argv (untrusted: only deep links are read from it).
 * The lock lives in `userData`, so PATCHBAY_HOME must be applied first (app-home.ts).
 */
export function claimSingleInstance(onSecondInstance: (argv: readonly string[]) => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_event, argv) => onSecondInstance(argv));
  return true;
}

/**
 * Bring the main window to the front (a second launch, a callback link arriving).
 *
 * A no-op while the window does not exist yet (a link that launched the app is queued instead).
 */
export function bringToFront(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
