/**
 * Sandbox state survives restarts and other processes: a connection made while one process ran
 * the Sandbox is refreshed and revoked after that process is gone. Keys are created once, are
 * private (0600), and no token or code is written to disk.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureSandbox, startSandboxServer, stopEmbeddedSandboxes } from '../../main/sandbox/index';
import { resolveConfig } from '../../main/core/model/config';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { freePort, tempHome } from '../helpers/ports';
import { firstLine, spawnTs, stopChild } from '../helpers/node-child';
import { exchangeCode, refreshGrant, revokeToken, startAuthorization, userinfo } from '../helpers/sandbox-client';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stopEmbeddedSandboxes();
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function connect(issuer: string) {
  const start = startAuthorization(issuer);
  const callback = await completeSandboxSignIn(start.url);
  const code = callback.searchParams.get('code') ?? '';
  const tokens = await exchangeCode(issuer, code, start);
  expect(tokens.status).toBe(200);
  return { code, accessToken: String(tokens.body.access_token), refreshToken: String(tokens.body.refresh_token) };
}

describe('Sandbox persistence', () => {
  it('keeps grants and tokens across a restart on the same home and port', async () => {
    const { home, cleanup } = await tempHome();
    cleanups.push(cleanup);
    const port = await freePort();

    const first = await startSandboxServer({ home, port });
    const keysBefore = await readFile(path.join(home, 'sandbox', 'keys.json'), 'utf8');
    const tokens = await connect(first.issuer);
    await first.close();

    const second = await startSandboxServer({ home, port });
    cleanups.push(() => second.close());
    expect(second.issuer).toBe(first.issuer);
    expect(await readFile(path.join(home, 'sandbox', 'keys.json'), 'utf8')).toBe(keysBefore);
    expect((await userinfo(second.issuer, tokens.accessToken)).body.name).toBe('Acme');
    const refreshed = await refreshGrant(second.issuer, tokens.refreshToken);
    expect(refreshed.status).toBe(200);
    expect((await refreshGrant(second.issuer, tokens.refreshToken)).body.error).toBe('invalid_grant');
  });

  it('stores keys privately and never writes a token or code to disk', async () => {
    const { home, cleanup } = await tempHome();
    cleanups.push(cleanup);
    const sandbox = await startSandboxServer({ home, port: 0 });
    cleanups.push(() => sandbox.close());
    const tokens = await connect(sandbox.issuer);
    const refreshed = await refreshGrant(sandbox.issuer, tokens.refreshToken);
    const secrets = [
      tokens.code,
      tokens.accessToken,
      tokens.refreshToken,
      String(refreshed.body.refresh_token),
      String(refreshed.body.access_token),
    ];

    const keyStat = await stat(path.join(home, 'sandbox', 'keys.json'));
    expect(keyStat.mode & 0o777).toBe(0o600);
    const files = await allFiles(home);
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      expect((await stat(file)).mode & 0o077).toBe(0);
      const text = await readFile(file, 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${file} contains a token`).toBe(false);
    }
  });

  it('refreshes and revokes from this process a connection made while another process ran the Sandbox', async () => {
    const { home, cleanup } = await tempHome();
    cleanups.push(cleanup);
    const port = await freePort();
    const env = { ...process.env, PATCHBAY_HOME: home, PATCHBAY_SANDBOX_PORT: String(port) };

    const child = spawnTs('test/helpers/sandbox-child.ts', [], env);
    cleanups.push(() => stopChild(child));
    const started = JSON.parse(await firstLine(child)) as { issuer: string; pid: number };
    expect(started.pid).toBe(child.pid);
    const tokens = await connect(started.issuer);
    await stopChild(child);

    const config = resolveConfig(env);
    const { issuer } = await ensureSandbox(config, env);
    expect(issuer).toBe(started.issuer);
    const refreshed = await refreshGrant(issuer, tokens.refreshToken);
    expect(refreshed.status).toBe(200);
    expect((await revokeToken(issuer, String(refreshed.body.refresh_token))).status).toBe(200);
    expect((await refreshGrant(issuer, String(refreshed.body.refresh_token))).body.error).toBe('invalid_grant');
  });
});
