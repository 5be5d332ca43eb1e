/**
 * The CLI against the real Sandbox, one process per command: connect in one process, then
 * status, test, refresh and disconnect from others (the Sandbox's state outlives each of them).
 * Deny and --timeout end with the documented error events and save nothing. Run inside
 * test/with-keyring.sh (real Secret Service).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliEnv, cliEnv, collect, firstJsonLine, jsonLines, runCli, spawnCli } from '../helpers/cli';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { refreshGrant } from '../helpers/sandbox-client';
import { resolveConfig } from '../../main/core/model/config';
import { createKeytarVault } from '../../main/core/storage/vault';
import { ensureSandbox, stopEmbeddedSandboxes } from '../../main/sandbox/index';

const envs: CliEnv[] = [];
afterEach(async () => {
  await stopEmbeddedSandboxes();
  while (envs.length > 0) await envs.pop()?.cleanup();
});

async function setup(extra: NodeJS.ProcessEnv = {}): Promise<CliEnv> {
  const env = await cliEnv(extra);
  envs.push(env);
  return env;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Run `connect sandbox --no-open --json`, sign in on the Sandbox, deliver the callback. */
async function connectSandbox(env: NodeJS.ProcessEnv, options: { deny?: boolean } = {}) {
  const child = spawnCli(['connect', 'sandbox', '--no-open', '--json'], env);
  child.stdin.end();
  const done = collect(child);
  const first = await firstJsonLine(child);
  expect(first.event).toBe('authorize');
  const authorizeUrl = new URL(String(first.url));
  const callback = await completeSandboxSignIn(authorizeUrl, { deny: options.deny ?? false });
  expect(callback.hostname).toBe('127.0.0.1');
  expect(callback.pathname).toBe('/callback');
  const page = await fetch(callback);
  expect(page.status).toBe(200);
  const code = callback.searchParams.get('code');
  return { result: await done, authorizeUrl, code };
}

describe('patchbay connect sandbox and the commands after it', { timeout: 180_000 }, () => {
  it('connects in one process and is tested, refreshed and disconnected from others', async () => {
    const { env, home } = await setup();
    const { result, authorizeUrl, code } = await connectSandbox(env);
    expect(result.code).toBe(0);
    expect(authorizeUrl.origin).toBe(`http://127.0.0.1:${env.PATCHBAY_SANDBOX_PORT}`);
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    const events = jsonLines(result.stdout);
    expect(events.map((e) => e.event)).toEqual(['authorize', 'connected']);
    const connection = events[1]?.connection as Record<string, unknown>;
    expect(Object.keys(connection)).toEqual([
      'id',
      'providerId',
      'label',
      'status',
      'scopes',
      'expiresAt',
      'lastTestedAt',
      'lastError',
    ]);
    expect(connection).toMatchObject({ providerId: 'sandbox', label: 'Acme', status: 'connected', lastError: null });
    const id = String(connection.id);

    const status = await runCli(['status', '--json'], env);
    expect(status.code).toBe(0);
    const list = JSON.parse(status.stdout) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id, providerId: 'sandbox', label: 'Acme', status: 'connected' });

    const human = await runCli(['status'], env);
    expect(human.stdout).toContain(`${id}: Acme (Sandbox), connected`);

    const test = await runCli(['test', id, '--json'], env);
    expect(test.code).toBe(0);
    expect(JSON.parse(test.stdout)).toMatchObject({ ok: true, connectionId: id, httpStatus: 200, label: 'Acme' });

    const refresh = await runCli(['refresh', 'sandbox', '--json'], env);
    expect(refresh.code).toBe(0);
    const refreshed = JSON.parse(refresh.stdout) as { refreshed: boolean; connection: Record<string, unknown> };
    expect(refreshed.refreshed).toBe(true);
    expect(refreshed.connection.id).toBe(id);

    const testAgain = await runCli(['test', id], env);
    expect(testAgain.code).toBe(0);
    expect(testAgain.stdout).toContain(`The connection ${id} works`);

    // Read the current refresh token from the real keychain, to check revocation at the Sandbox.
    const secret = await createKeytarVault(String(env.PATCHBAY_KEYCHAIN_SERVICE)).getConnectionSecret(id);
    const refreshToken = secret?.kind === 'oauth2' ? secret.refreshToken : undefined;
    expect(refreshToken).toBeTruthy();

    const disconnect = await runCli(['disconnect', id, '--json'], env);
    expect(disconnect.code).toBe(0);
    expect(JSON.parse(disconnect.stdout)).toMatchObject({ disconnected: true, id });
    expect(JSON.parse((await runCli(['status', '--json'], env)).stdout)).toEqual([]);
    expect(await createKeytarVault(String(env.PATCHBAY_KEYCHAIN_SERVICE)).getConnectionSecret(id)).toBeNull();
    // Every CLI process has exited; a Sandbox started here on the same state refuses the token.
    const { issuer } = await ensureSandbox(resolveConfig(env), env);
    expect((await refreshGrant(issuer, String(refreshToken))).body.error).toBe('invalid_grant');

    const gone = await runCli(['test', id, '--json'], env);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stdout)).toMatchObject({ error: { code: 'not_found' } });

    // No code or token reached any output or any file under PATCHBAY_HOME.
    const outputs = [result, status, human, test, refresh, testAgain, disconnect]
      .map((r) => r.stdout + r.stderr)
      .join('\n');
    const secrets = [String(code), String(refreshToken), secret?.kind === 'oauth2' ? secret.accessToken : ''];
    for (const value of secrets) {
      expect(value.length).toBeGreaterThan(10);
      expect(outputs).not.toContain(value);
      for (const file of await filesUnder(home)) expect(await readFile(file, 'utf8'), file).not.toContain(value);
    }
  });

  it('prints plain sentences without --json', async () => {
    const { env } = await setup();
    const child = spawnCli(['connect', 'sandbox', '--no-open'], env);
    child.stdin.end();
    const done = collect(child);
    let stdout = '';
    const url = await new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const match = /https?:\/\/127\.0\.0\.1:\d+\/auth\?\S+/.exec(stdout);
        if (match) resolve(match[0]);
      });
    });
    await fetch(await completeSandboxSignIn(url));
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Open this address in your browser to sign in to Sandbox:');
    expect(result.stdout).toContain('Connected as Acme (sandbox). Saved in your keychain.');
    expect(result.stderr).toContain('Waiting for you to sign in.');
  });

  it('reports access_denied when the person presses Deny, and saves nothing', async () => {
    const { env } = await setup();
    const { result } = await connectSandbox(env, { deny: true });
    expect(result.code).toBe(1);
    const events = jsonLines(result.stdout);
    expect(events.map((e) => e.event)).toEqual(['authorize', 'error']);
    expect(events[1]).toMatchObject({ event: 'error', code: 'access_denied' });
    expect(String(events[1]?.message)).not.toBe('');
    expect(JSON.parse((await runCli(['status', '--json'], env)).stdout)).toEqual([]);
  });

  it('cancels cleanly on Ctrl+C (SIGINT) with code cancelled', async () => {
    const { env } = await setup();
    const child = spawnCli(['connect', 'sandbox', '--no-open', '--json'], env);
    child.stdin.end();
    const done = collect(child);
    expect((await firstJsonLine(child)).event).toBe('authorize');
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ event: 'error', code: 'cancelled' });
  });

  it('stops with code timeout when nobody signs in within --timeout', async () => {
    const { env } = await setup();
    const result = await runCli(['connect', 'sandbox', '--no-open', '--json', '--timeout', '2'], env);
    expect(result.code).toBe(1);
    const events = jsonLines(result.stdout);
    expect(events.map((e) => e.event)).toEqual(['authorize', 'error']);
    expect(events[1]).toMatchObject({ code: 'timeout' });
    expect(JSON.parse((await runCli(['status', '--json'], env)).stdout)).toEqual([]);
  });
});

describe('patchbay sandbox', { timeout: 120_000 }, () => {
  it('runs in the foreground, prints its issuer, is found by a second one, and stops on a signal', async () => {
    const { env, sandboxPort } = await setup();
    const child = spawnCli(['sandbox', '--json'], env);
    const done = collect(child);
    const ready = await firstJsonLine(child);
    expect(ready).toEqual({ event: 'ready', issuer: `http://127.0.0.1:${sandboxPort}`, alreadyRunning: false });
    const discovery = await fetch(`${String(ready.issuer)}/.well-known/openid-configuration`);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(ready.issuer);

    const second = await runCli(['sandbox'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`A Patchbay Sandbox is already running at http://127.0.0.1:${sandboxPort}`);

    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    await expect(fetch(`${String(ready.issuer)}/.well-known/openid-configuration`)).rejects.toThrow();
  });
});
