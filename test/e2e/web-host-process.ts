/**
 * Start the built web host (dist/node/web.js) as a real child process and read the URL it prints.
 *
 * The e2e stories drive exactly what `npm run web` runs: the bundled host on Node 22 from
 * node_modules/.bin/node, with its own PATCHBAY_HOME, keychain service and Sandbox port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const ENTRY = path.join(REPO_ROOT, 'dist', 'node', 'web.js');
const NODE = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');

export interface WebHostProcess {
  /** The printed URL, launch key in the fragment. */
  url: string;
  origin: string;
  key: string;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

/** Spawn the web host and resolve once it prints "Patchbay is running at <url>". */
export async function startWebHostProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<WebHostProcess> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" before the e2e tests.`);
  const child: ChildProcess = spawn(existsSync(NODE) ? NODE : process.execPath, [ENTRY], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web host printed no URL within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      const match = /Patchbay is running at (http:\/\/127\.0\.0\.1:\d+\/#key=[A-Za-z0-9_-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code} before it was ready:\n${output}`));
    });
  });
  const [origin, key] = url.split('/#key=') as [string, string];

  return {
    url,
    origin,
    key,
    output: () => output,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
