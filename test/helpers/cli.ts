/**
 * Run the `patchbay` CLI as a real child process in an isolated environment.
 *
 * Each test gets its own PATCHBAY_HOME, keychain service and Sandbox port. By default the CLI
 * runs from source (`node --import tsx main/cli/patchbay.ts`, what `npx tsx` does); set
 * PATCHBAY_TEST_CLI=dist to run the built dist/node/patchbay.js instead.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort, tempHome } from './ports';
import { REPO_ROOT } from './node-child';

export interface CliEnv {
  home: string;
  env: NodeJS.ProcessEnv;
  sandboxPort: number;
  cleanup: () => Promise<void>;
}

/** A fresh home, keychain service and Sandbox port for one test. */
export async function cliEnv(extra: NodeJS.ProcessEnv = {}): Promise<CliEnv> {
  const { home, cleanup } = await tempHome('patchbay-cli-');
  const sandboxPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATCHBAY_HOME: home,
    PATCHBAY_KEYCHAIN_SERVICE: `PatchbayTest-${randomBytes(6).toString('hex')}`,
    PATCHBAY_SANDBOX_PORT: String(sandboxPort),
    NO_COLOR: '1',
    ...extra,
  };
  return { home, env, sandboxPort, cleanup };
}

/** Start `patchbay <args>`; stdin stays open for the caller to write to or end. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  const entry =
    process.env.PATCHBAY_TEST_CLI === 'dist'
      ? [path.join(REPO_ROOT, 'dist/node/patchbay.js')]
      : ['--import', 'tsx', path.join(REPO_ROOT, 'main/cli/patchbay.ts')];
  return spawn(process.execPath, [...entry, ...args], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Collect a child's output until it exits. */
export function collect(child: ChildProcessWithoutNullStreams): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Run `patchbay <args>` to completion, feeding `input` on stdin (empty by default). */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<CliResult> {
  const child = spawnCli(args, env);
  const done = collect(child);
  child.stdin.end(input);
  return done;
}

/** Lines of NDJSON output, parsed. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Wait for the first stdout line of a running child and parse it as JSON. */
export function firstJsonLine(
  child: ChildProcessWithoutNullStreams,
  timeoutMs = 30_000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      try {
        resolve(JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>);
      } catch (error) {
        reject(error);
      }
    };
    child.stdout.on('data', onData);
  });
}
