/**
 * Who holds a lock: a small record inside the lock folder, and whether that process still runs.
 *
 * proper-lockfile only knows a lock by its folder's age, so a lock left by a killed process held
 * everyone back for its whole stale period (10 s) in silence. The holder now writes its pid and
 * what it is doing into the folder. A waiter can then say what it waits for, and take over at
 * once when that pid is gone on this machine, instead of waiting for staleness.
 */
import { randomBytes } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The record a holder writes; `nonce` tells two holders with the same pid apart. */
export interface LockOwner {
  pid: number;
  host: string;
  purpose: string;
  since: number;
  nonce: string;
}

const OWNER_FILE = 'owner.json';

/**
 * Write this process's record into the lock folder it has just created.
 *
 * Synchronous on purpose: a hundred bytes into a folder this process just made, on every settings
 * write. The promise API spends three thread-pool round trips (open, write, close) on it, which
 * cost more than the write itself and hold the lock longer.
 */
export function writeOwner(lockDir: string, purpose: string): LockOwner {
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    purpose,
    since: Date.now(),
    nonce: randomBytes(8).toString('hex'),
  };
  fsSync.writeFileSync(path.join(lockDir, OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
  return owner;
}

/** Remove the record so the lock folder is empty again (proper-lockfile removes it with rmdir). */
export function removeOwner(lockDir: string): void {
  try {
    fsSync.unlinkSync(path.join(lockDir, OWNER_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The current holder's record, or null when there is none (yet) or it cannot be read. */
export async function readOwner(lockDir: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(lockDir, OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.nonce !== 'string' || typeof parsed.host !== 'string')
      return null;
    return {
      pid: parsed.pid,
      host: parsed.host,
      purpose: String(parsed.purpose ?? 'working'),
      since: Number(parsed.since ?? Date.now()),
      nonce: parsed.nonce,
    };
  } catch {
    return null;
  }
}

/** True unless the pid certainly no longer runs on this machine (EPERM means it runs as someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The holder is a process of this machine that has exited. */
export function isDeadHere(owner: LockOwner): boolean {
  return owner.host === os.hostname() && owner.pid !== process.pid && !isAlive(owner.pid);
}

/**
 * Remove a dead holder's lock folder, but only if it still holds the same record (another waiter
 * may have taken it over and a live process may own the folder by now).
 */
export async function breakDeadLock(lockDir: string, seen: LockOwner): Promise<boolean> {
  const now = await readOwner(lockDir);
  if (!now || now.nonce !== seen.nonce) return false;
  await fs.rm(lockDir, { recursive: true, force: true });
  return true;
}
