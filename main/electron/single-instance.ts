/**
 * Step 1: one Patchbay per user profile.
 *
 * Two app instances writing one settings file and racing for one OAuth callback would confuse
 * both. The second instance hands its command line (which may carry a
 * `patchbay://oauth/callback` link on Windows and Linux) to the first and quits; the first
 * receives it in `second-instance` and comes to the front.
 */
import { app } from 'electron';

/**
 * Take the single-instance lock. Returns false when another instance holds it; the caller
 * must then quit without creating windows.
 *
 * `onSecondInstance` gets the other instance's argv (untrusted: only deep links are read from it).
 */
export function claimSingleInstance(onSecondInstance: (argv: readonly string[]) => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_event, argv) => onSecondInstance(argv));
  return true;
}
