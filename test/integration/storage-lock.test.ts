/**
 * withFileLock across real processes: mutual exclusion, and recovery from a holder that died.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../main/core/storage/file-lock';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-xlock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(
  script: string,
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env: process.env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

const lockModule = JSON.stringify(path.join(REPO_ROOT, 'main/core/storage/file-lock.ts'));

describe('withFileLock across processes', () => {
  it('never lets two processes inside at once', async () => {
    const script = path.join(dir, 'counter.mts');
    // Each process appends "enter"/"leave" pairs to a shared log under the lock; interleaving would show.
    fs.writeFileSync(
      script,
      `
      import fs from 'node:fs';
      import { withFileLock } from ${lockModule};
      const [target, log, tag] = process.argv.slice(2);
      for (let i = 0; i < 20; i += 1) {
        await withFileLock(target, async () => {
          fs.appendFileSync(log, 'enter ' + tag + '\\n');
          await new Promise((r) => setTimeout(r, 3));
          fs.appendFileSync(log, 'leave ' + tag + '\\n');
        });
      }
    `,
    );
    const target = path.join(dir, 'data.json');
    const log = path.join(dir, 'log.txt');
    const results = await Promise.all(['a', 'b', 'c'].map((tag) => run(script, [target, log, tag])));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(120);
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^enter /);
      expect(lines[i + 1]).toBe(lines[i]!.replace('enter', 'leave'));
    }
  });

  it('takes over the lock of a process that was killed while holding it', async () => {
    const script = path.join(dir, 'crash.mts');
    fs.writeFileSync(
      script,
      `
      import { withFileLock } from ${lockModule};
      await withFileLock(process.argv[2], () => { console.log('holding'); process.kill(process.pid, 'SIGKILL'); });
    `,
    );
    const target = path.join(dir, 'data.json');
    const crashed = await run(script, [target]);
    expect(crashed.signal).toBe('SIGKILL');
    expect(crashed.out).toContain('holding');
    expect(fs.existsSync(`${target}.lock`)).toBe(true);
    // A live holder would block for the whole timeout; a dead one is stale after staleMs.
    expect(await withFileLock(target, () => 'recovered', { staleMs: 2000, timeoutMs: 20_000 })).toBe('recovered');
  });
});
