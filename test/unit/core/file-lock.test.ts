import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withFileLock } from '../../../main/core/storage/file-lock';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-lock-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Counts the lock attempts proper-lockfile refused because someone else held the lock. */
function countRefusals(): { refused: number } {
  const seen = { refused: 0 };
  const real = lockfile.lockSync.bind(lockfile);
  vi.spyOn(lockfile, 'lockSync').mockImplementation((...args: Parameters<typeof lockfile.lockSync>) => {
    try {
      return real(...args);
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') seen.refused += 1;
      throw error;
    }
  });
  return seen;
}

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('withFileLock', () => {
  it('serialises critical sections on the same file, with every caller really contending', async () => {
    const file = path.join(dir, 'nested', 'settings.json');
    const attempts = countRefusals();
    let inside = 0;
    let maxInside = 0;
    let first = true;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        withFileLock(file, async () => {
          inside += 1;
          maxInside = Math.max(maxInside, inside);
          if (first) {
            // Hold the lock until each of the seven others has been turned away at least once, so
            // the sections below run one at a time because of the lock and not because of timing.
            first = false;
            await vi.waitFor(() => expect(attempts.refused).toBeGreaterThanOrEqual(7), {
              timeout: 10_000,
              interval: 5,
            });
          }
          await new Promise((r) => setImmediate(r));
          order.push(i);
          inside -= 1;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('releases the lock when the function throws and passes the error on', async () => {
    const file = path.join(dir, 'a.json');
    await expect(
      withFileLock(file, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await withFileLock(file, () => 42)).toBe(42);
  });

  it('takes over a stale lock left by a crashed process', async () => {
    const file = path.join(dir, 'b.json');
    fs.mkdirSync(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.lock`, old, old);
    expect(await withFileLock(file, () => 'ran', { staleMs: 2000 })).toBe('ran');
  });

  it('gives up with busy when a live holder keeps the lock', async () => {
    const file = path.join(dir, 'c.json');
    const entered = gate();
    const release = gate();
    const held = withFileLock(file, async () => {
      entered.open();
      await release.opened;
    });
    await entered.opened; // the holder is inside: no guess about how long taking the lock takes
    let ran = false;
    await expect(withFileLock(file, () => (ran = true), { timeoutMs: 300 })).rejects.toMatchObject({ code: 'busy' });
    expect(ran).toBe(false);
    release.open();
    await held;
    expect(await withFileLock(file, () => 'after')).toBe('after');
  });
});
