/**
 * The set-up scripts a first-time user runs: `npm start` (build/start-electron.mjs) where Electron
 * cannot be downloaded, and test/with-keyring.sh, the throwaway keyring.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/node-child';
import { tempHome } from '../helpers/ports';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function folder(): Promise<string> {
  const { home, cleanup } = await tempHome('patchbay-setup-');
  cleanups.push(cleanup);
  return home;
}

describe('npm start without an Electron binary', () => {
  it("says in one sentence to run npm run web, without Electron's reinstall advice, and exits 1", async () => {
    // An empty override folder: no binary, whatever this machine has installed.
    const empty = await folder();
    const result = await run(process.execPath, ['build/start-electron.mjs'], {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: empty,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('`npm run web`');
    expect(result.stderr).not.toMatch(/delete|install-electron|Downloading/i);
  });

  it('starts the binary with the project folder when there is one, and passes on its exit code', async () => {
    const dist = await folder();
    const fake = path.join(dist, process.platform === 'win32' ? 'electron.exe' : 'electron');
    writeFileSync(fake, '#!/bin/sh\necho "args: $*"\nexit 7\n');
    chmodSync(fake, 0o755);
    const result = await run(process.execPath, ['build/start-electron.mjs', '--flag'], {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: dist,
    });
    expect(result.stdout.trim()).toBe('args: . --flag');
    expect(result.code).toBe(7);
  });
});

describe('test/with-keyring.sh', () => {
  it('runs the command in a fresh keyring folder, deletes the folder afterwards and keeps the exit status', async () => {
    const env = { ...process.env };
    delete env.PATCHBAY_IN_KEYRING;
    const result = await run(
      'bash',
      ['test/with-keyring.sh', 'sh', '-c', 'echo "$XDG_RUNTIME_DIR"; test -d "$XDG_DATA_HOME"; exit 5'],
      env,
    );
    expect(result.code).toBe(5);
    const runtime = result.stdout.trim();
    expect(runtime).toMatch(/patchbay-keyring\.[^/]+\/run$/);
    expect(existsSync(path.dirname(runtime))).toBe(false);
  });
});
