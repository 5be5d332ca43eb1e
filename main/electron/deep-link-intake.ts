/**
 * Step 3: every way a `patchbay://oauth/callback` link reaches the app, into one queue.
 *
 * - macOS: `open-url`, which must be listened to before `ready` or the link that launched the
 *   app is lost (Electron's app.md);
 * - Windows/Linux: the link is an argument — of this first launch, or of a second instance
 *   that forwarded its argv through the single-instance lock.
 * Links are parsed strictly (deep-link.ts) and queued (deep-link-queue.ts) until a sign-in
 * attempt takes them; anything else is ignored with one log line that shows no query values.
 */
import { app } from 'electron';
import type { PatchbayError } from '../core/model/errors';
import { deepLinksFromArgv, parseDeepLink } from './deep-link';
import type { DeepLinkQueue } from './deep-link-queue';

export interface DeepLinkIntake {
  /** Read links from a command line (first launch or second instance). */
  fromArgv(argv: readonly string[]): void;
  /** Start listening for macOS `open-url`. Call before `ready`. */
  listenForOpenUrl(): void;
}

const logRejected = (error: PatchbayError) => console.warn(`Ignored a link: ${error.message}`);

/**
 * Build the intake. `bringToFront` runs for every link, so the person sees Patchbay after
 * signing in in the browser (the window may not exist yet; then it is a no-op).
 */
export function createDeepLinkIntake(queue: DeepLinkQueue, bringToFront: () => void): DeepLinkIntake {
  return {
    fromArgv(argv) {
      for (const url of deepLinksFromArgv(argv, logRejected)) queue.push(url);
      bringToFront();
    },
    listenForOpenUrl() {
      app.on('open-url', (event, raw) => {
        event.preventDefault();
        try {
          queue.push(parseDeepLink(raw));
        } catch (error) {
          logRejected(error as PatchbayError);
        }
        bringToFront();
      });
    },
  };
}
