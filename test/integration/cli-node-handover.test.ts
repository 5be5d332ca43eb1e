/**
 * `node dist/node/patchbay.js` started by an older system Node runs on the project's Node 22:
 * the Sandbox answers and oidc-provider's "Unsupported runtime" warning never appears.
 *
 * Needs a Node older than 22 on this machine (Debian's /usr/bin/node here); without one the test
 * is reported as skipped, with the reason.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliEnv, type CliEnv } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/node-child';

/** A Node binary older than 22 on PATH or in the usual places, or null. */
function olderNode(): string | null {
  const candidates = [
    '/usr/bin/node',
    '/usr/local/bin/node',
    ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'node')),
  ];
  for (const candidate of candidates) {
    try {
      const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
      if (Number(/^v(\d+)/.exec(version)?.[1]) < 22) return candidate;
    } catch {
      // Not there, or not runnable: try the next one.
    }
  }
  return null;
}

const oldNode = olderNode();
let env: CliEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

describe.skipIf(oldNode === null)(`the CLI started by an older Node (${oldNode ?? 'none on this machine'})`, () => {
  it('hands the command over to Node 22: the Sandbox starts and prints no "Unsupported runtime" warning', async () => {
    env = await cliEnv();
    const entry =
      process.env.PATCHBAY_TEST_CLI === 'dist'
        ? [path.join(REPO_ROOT, 'dist/node/patchbay.js')]
        : ['--import', 'tsx', path.join(REPO_ROOT, 'main/cli/patchbay.ts')];
    const child = spawn(oldNode as string, [...entry, 'sandbox', '--json'], {
      cwd: REPO_ROOT,
      env: env.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (stdout.includes('\n')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    await Promise.race([ready, exited]);
    expect(JSON.parse(stdout.split('\n')[0] ?? '')).toMatchObject({ event: 'ready', alreadyRunning: false });
    // SIGTERM to the old Node alone: it must reach the handed-over process, which stops cleanly.
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/Unsupported runtime/);
    expect(stderr).not.toMatch(/needs Node\.js/);
  });
});
