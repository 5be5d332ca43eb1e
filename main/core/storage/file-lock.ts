/**
 * A cross-process lock around one file, on proper-lockfile.
 *
 * The desktop app, the web host and any number of `patchbay` commands may run at once against
 * one PATCHBAY_HOME. Settings updates and token refreshes must not interleave, so both take this
 * lock. proper-lockfile uses an atomic `mkdir` of `<file>.lock` (works on every OS and on network
 * drives) and treats a lock whose owner stopped refreshing it as stale, so a crashed process
 * cannot block everyone forever.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { PatchbayError } from '../model/errors';

export interface FileLockOptions {
  /** A lock not refreshed for this long is taken over (ms, default 10,000; minimum 2,000). */
  staleMs?: number;
  /** Give up waiting after this long (ms, default 15,000) with PatchbayError `busy`. */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isLocked(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ELOCKED';
}

/**
 * Run `fn` while holding the lock `${file}.lock`; release it afterwards, even when `fn` throws.
 *
 * Waits with jittered exponential backoff (about 15 s in all) for another holder, then fails
 * with `busy` and a sentence saying to try again. The file itself need not exist; its folder is
 * created. Not re-entrant: do not take the same lock again inside `fn`.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T> | T, options: FileLockOptions = {}): Promise<T> {
  const staleMs = Math.max(2000, options.staleMs ?? 10_000);
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  await fs.mkdir(path.dirname(file), { recursive: true });
  let compromised: unknown = null;
  const lockOptions: lockfile.LockOptions = {
    stale: staleMs,
    update: Math.floor(staleMs / 2),
    retries: 0,
    realpath: false,
    lockfilePath: `${file}.lock`,
    // The default throws from a timer and kills the process; keep going and let the holder finish.
    onCompromised: (error) => {
      compromised = error;
    },
  };
  let release: (() => Promise<void>) | undefined;
  let delay = 10;
  for (;;) {
    try {
      release = await lockfile.lock(file, lockOptions);
      break;
    } catch (error) {
      if (!isLocked(error)) {
        throw new PatchbayError('internal', `Patchbay could not lock ${path.basename(file)} in its settings folder. Check that the folder is writable.`, { cause: error });
      }
      if (Date.now() >= deadline) {
        throw new PatchbayError('busy', 'Another Patchbay window or command is busy with the same data. Wait a few seconds and try again.', { cause: error });
      }
      await sleep(Math.min(delay, Math.max(1, deadline - Date.now())) * (0.5 + Math.random()));
      delay = Math.min(delay * 1.6, 500);
    }
  }
  try {
    return await fn();
  } finally {
    if (compromised === null) {
      await release().catch(() => undefined);
    }
  }
}
