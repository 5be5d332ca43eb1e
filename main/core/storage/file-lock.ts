/**
 * A cross-process lock around one file, on proper-lockfile.
 *
 * The desktop app, the web host and any number of `patchbay` commands may run at once against
 * one PATCHBAY_HOME. Settings updates and token refreshes must not interleave, so both take this
 * lock. proper-lockfile uses an atomic `mkdir` of `<file>.lock` (works on every OS and on network
 * drives) and treats a lock whose owner stopped refreshing it as stale, so a crashed process
 * cannot block everyone forever. The holder also records its pid and purpose in the lock folder
 * (lock-owner.ts): a waiter says what it waits for after a second, and takes over at once from a
 * holder that has died.
 *
 * Each attempt uses proper-lockfile's synchronous API (same algorithm: mkdir, a stat for the
 * mtime it keeps fresh, rmdir on release): a handful of calls on a local folder, which cost
 * several times more as thread-pool round trips than as plain calls. Waiting between attempts
 * stays asynchronous, so a busy lock never blocks the process.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { PatchbayError } from '../model/errors';
import { reportLockWait } from './lock-notices';
import { breakDeadLock, isDeadHere, readOwner, removeOwner, writeOwner } from './lock-owner';

/** How long a waiter stays silent before it says what it waits for. */
export const LOCK_WAIT_NOTICE_MS = 1000;

export interface FileLockOptions {
  /** A lock not refreshed for this long is taken over (ms, default 10,000; minimum 2,000). */
  staleMs?: number;
  /** Give up waiting after this long (ms, default 15,000) with PatchbayError `busy`. */
  timeoutMs?: number;
  /** What the holder does, in words after "that is" ("saving the settings"), for waiters' sentences. */
  purpose?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The calls proper-lockfile's synchronous API makes, straight from node:fs. Its default is
 * graceful-fs, whose queueing is for running out of file descriptors, which none of these use.
 */
const LOCK_FS = {
  mkdirSync: fsSync.mkdirSync,
  realpathSync: fsSync.realpathSync,
  statSync: fsSync.statSync,
  rmdirSync: fsSync.rmdirSync,
  utimesSync: fsSync.utimesSync,
};

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/**
 * Run `fn` while holding the lock `${file}.lock`; release it afterwards, even when `fn` throws.
 *
 * Waits with jittered exponential backoff (about 15 s in all) for another holder, then fails
 * with `busy` and a sentence saying to try again. The file itself need not exist; its folder is
 * created when missing. Not re-entrant: do not take the same lock again inside `fn`.
 */
export async function withFileLock<T>(
  file: string,
  fn: () => Promise<T> | T,
  options: FileLockOptions = {},
): Promise<T> {
  const staleMs = Math.max(2000, options.staleMs ?? 10_000);
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let compromised: unknown = null;
  const lockOptions: lockfile.LockOptions = {
    stale: staleMs,
    update: Math.floor(staleMs / 2),
    retries: 0,
    realpath: false,
    lockfilePath: `${file}.lock`,
    fs: LOCK_FS,
    // The default throws from a timer and kills the process; keep going and let the holder finish.
    onCompromised: (error) => {
      compromised = error;
    },
  };
  const lockDir = `${file}.lock`;
  const started = Date.now();
  let told = false;
  let release: (() => void) | undefined;
  let delay = 10;
  let madeFolder = false;
  for (;;) {
    try {
      release = lockfile.lockSync(file, lockOptions);
      break;
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' && !madeFolder) {
        // The folder is made only when the lock's mkdir finds it missing: checking it before every
        // lock cost a file-system round trip on each settings write.
        madeFolder = true;
        await fs.mkdir(path.dirname(file), { recursive: true });
        continue;
      }
      if (code === 'ENOTEMPTY') {
        // proper-lockfile found the lock stale but could not rmdir it: it still holds the dead owner's record.
        await fs.rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (code !== 'ELOCKED') {
        throw new PatchbayError(
          'internal',
          `Patchbay could not lock ${path.basename(file)} in its settings folder. Check that the folder is writable.`,
          { cause: error },
        );
      }
      const owner = await readOwner(lockDir);
      if (owner && isDeadHere(owner) && (await breakDeadLock(lockDir, owner))) continue;
      if (!told && Date.now() - started >= LOCK_WAIT_NOTICE_MS) {
        told = true;
        reportLockWait(
          owner
            ? `Waiting for another Patchbay process (pid ${owner.pid}) that is ${owner.purpose}; it has held the lock for ${Math.max(1, Math.round((Date.now() - owner.since) / 1000))} s.`
            : `Waiting for another Patchbay window or command that is using ${path.basename(file)}.`,
        );
      }
      if (Date.now() >= deadline) {
        throw new PatchbayError(
          'busy',
          'Another Patchbay window or command is busy with the same data. Wait a few seconds and try again.',
          { cause: error },
        );
      }
      await sleep(Math.min(delay, Math.max(1, deadline - Date.now())) * (0.5 + Math.random()));
      delay = Math.min(delay * 1.6, 250);
    }
  }
  try {
    writeOwner(lockDir, options.purpose ?? `using ${path.basename(file)}`);
  } catch {
    // Without the record waiters only see an anonymous lock, which still goes stale as before.
  }
  try {
    return await fn();
  } finally {
    if (compromised === null) {
      try {
        removeOwner(lockDir);
      } catch {
        // proper-lockfile's rmdir then fails (ENOTEMPTY); the folder goes stale and is taken over.
      }
      try {
        release();
      } catch {
        // Already released or taken over as stale: nothing of ours is left to remove.
      }
    }
  }
}
