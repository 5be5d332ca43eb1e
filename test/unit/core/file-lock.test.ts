import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../../main/core/storage/file-lock';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('withFileLock', () => {
  it('serialises critical sections on the same file', async () => {
    const file = path.join(dir, 'nested', 'settings.json');
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 8 }, (_, i) => withFileLock(file, async () => {
      inside += 1;
      maxInside = Math.max(maxInside, inside);
      await tick();
      order.push(i);
      inside -= 1;
    })));
    expect(maxInside).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('releases the lock when the function throws and passes the error on', async () => {
    const file = path.join(dir, 'a.json');
    await expect(withFileLock(file, () => { throw new Error('boom'); })).rejects.toThrow('boom');
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
    let release!: () => void;
    const held = withFileLock(file, () => new Promise<void>((r) => (release = r)));
    await tick();
    await expect(withFileLock(file, () => 'never', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'busy' });
    release();
    await held;
  });
});
