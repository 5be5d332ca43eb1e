/**
 * Where "still waiting for a lock" sentences go, set by the host.
 *
 * Kept apart from file-lock.ts (which loads proper-lockfile) so the CLI can route the sentences to
 * stderr at start-up without loading the lock library for commands that never take a lock.
 */

type Reporter = (message: string) => void;

let reporter: Reporter | null = null;

/** Send lock-wait sentences to `fn` (the CLI: stderr); null stops reporting. */
export function setLockWaitReporter(fn: Reporter | null): void {
  reporter = fn;
}

/** Tell the person what this process waits for; a failing reporter never breaks the wait. */
export function reportLockWait(message: string): void {
  try {
    reporter?.(message);
  } catch {
    // Reporting is a courtesy; the lock logic must not depend on it.
  }
}
