/**
 * Keychain faults: no Secret Service at all, and a keychain that refuses the write after the
 * provider has already issued tokens.
 *
 * The first runs the real CLI in a child process whose environment has no D-Bus session (what a
 * server or a broken desktop session looks like): the person gets `keychain_unavailable` with the
 * fix, and nothing is saved. The second injects a fault into a *real* keytar vault (a wrapper that
 * delegates to keytar on the real Secret Service but refuses chosen writes, with the message
 * gnome-keyring gives for a locked collection): the flow must fail loudly and leave no
 * half-saved connection — no record, no keychain entry, no leftover chunk.
 */
import { createRequire } from 'node:module';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/facade/create-core';
import { PatchbayError } from '../../main/core/model/errors';
import { openSettings } from '../../main/core/storage/settings';
import { createKeytarVault, type KeytarLike } from '../../main/core/storage/vault';
import { cliEnv, jsonLines, runCli } from '../helpers/cli';
import { testBrowserAuthorizer } from './providers/browser';
import { keychainAccounts, makeHarness } from './providers/harness';
import { startApiKeyServer } from './providers/api-key-server';
import { startOAuthServer } from './providers/oauth-server';

const keytar = createRequire(import.meta.url)('keytar') as KeytarLike;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** The environment of a session without a Secret Service: no D-Bus address, no X display. */
function withoutDbus(env: NodeJS.ProcessEnv, runtimeDir: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, XDG_RUNTIME_DIR: runtimeDir };
  delete out.DBUS_SESSION_BUS_ADDRESS;
  delete out.DISPLAY;
  delete out.WAYLAND_DISPLAY;
  return out;
}

describe('no Secret Service (no D-Bus session)', () => {
  it(
    'connect says keychain_unavailable with the fix, exits non-zero and saves nothing; status still works',
    { timeout: 120_000 },
    async () => {
      const key = 'nodbus-key-5c2e8f1a';
      const server = await startApiKeyServer({ header: 'api-token', scheme: '', key, path: '/me' });
      cleanups.push(() => server.close());
      const cli = await cliEnv();
      cleanups.push(cli.cleanup);
      const runtime = await mkdtemp(path.join(os.tmpdir(), 'patchbay-nodbus-'));
      const env = withoutDbus(cli.env, runtime);
      const file = path.join(runtime, 'providers.json');
      await writeFile(
        file,
        JSON.stringify({
          id: 'acme-key',
          name: 'Acme Key',
          auth: 'apiKey',
          apiKeyHeader: 'Api-Token',
          testUrl: `${server.base}/me`,
        }),
      );
      expect((await runCli(['providers', 'import', file], env)).code).toBe(0);

      const result = await runCli(['connect', 'acme-key', '--api-key-stdin', '--json'], env, `${key}\n`);
      expect(result.code).not.toBe(0);
      const last = jsonLines(result.stdout).at(-1) as { event: string; code: string; message: string };
      expect(last).toMatchObject({ event: 'error', code: 'keychain_unavailable' });
      expect(last.message).toMatch(/Secret Service|GNOME Keyring/);
      expect(last.message).toMatch(/Nothing was saved/);
      expect(result.stdout + result.stderr).not.toContain(key);

      const status = await runCli(['status', '--json'], env);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toEqual([]);
    },
  );
});

/** Real keytar, except that writes to accounts matching `refuse` fail like a locked keyring. */
function refusingKeytar(refuse: (account: string, nth: number) => boolean): KeytarLike & { writes: number } {
  const wrapper = {
    writes: 0,
    getPassword: (s: string, a: string) => keytar.getPassword(s, a),
    deletePassword: (s: string, a: string) => keytar.deletePassword(s, a),
    findCredentials: (s: string) => keytar.findCredentials(s),
    async setPassword(s: string, a: string, p: string) {
      wrapper.writes += 1;
      if (refuse(a, wrapper.writes)) throw new Error('Cannot create an item in a locked collection');
      return keytar.setPassword(s, a, p);
    },
  };
  return wrapper;
}

async function coreWithVault(fault: KeytarLike, tokenPrefix = '') {
  const server = await startOAuthServer({ clientId: 'acme-client', clientSecret: 'kc-client-secret', tokenPrefix });
  cleanups.push(() => server.close());
  const base = await makeHarness();
  cleanups.push(() => base.cleanup());
  await base.core.saveProvider({
    id: 'acme',
    name: 'Acme',
    auth: 'oauth2',
    authorizationUrl: `${server.base}/authorize`,
    tokenUrl: `${server.base}/token`,
    scopes: ['read'],
  });
  await base.core.setClientCredentials({
    providerId: 'acme',
    clientId: 'acme-client',
    clientSecret: 'kc-client-secret',
  });
  const core = createCore({
    home: base.home,
    keychainService: base.service,
    settings: openSettings({ home: base.home }),
    vault: createKeytarVault(base.service, fault),
    authorizers: [testBrowserAuthorizer()],
    httpTimeoutMs: 5_000,
    flowTimeoutMs: 20_000,
  });
  cleanups.push(() => core.close());
  return { server, base, core };
}

async function expectNothingHalfSaved(base: Awaited<ReturnType<typeof makeHarness>>): Promise<void> {
  expect(openSettings({ home: base.home }).read().connections).toEqual([]);
  expect((await keychainAccounts(base.service)).filter((a) => a.startsWith('connection:'))).toEqual([]);
}

describe('the keychain refuses the write after a successful token exchange', () => {
  it('the flow fails loudly with keychain_unavailable and leaves no record and no keychain entry', async () => {
    const { server, base, core } = await coreWithVault(refusingKeytar((account) => account.startsWith('connection:')));
    const error = await core.connect({ providerId: 'acme' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PatchbayError);
    expect((error as PatchbayError).code).toBe('keychain_unavailable');
    expect((error as PatchbayError).message).toMatch(/Nothing was saved/);
    expect(server.counts.code).toBe(1);
    await expectNothingHalfSaved(base);
    const trace = await core.trace('provider:acme');
    expect(trace.entries.at(-1)).toMatchObject({ step: 'failed', ok: false });
  });

  it('a large token set that fails on its second chunk leaves no chunk of it behind', async () => {
    // 5 KB access tokens make the vault split the token set into chunks; the second chunk write fails.
    const fault = refusingKeytar((account, nth) => account.startsWith('connection:') && nth >= 2);
    const { server, base, core } = await coreWithVault(fault, 'x'.repeat(5_000));
    const error = await core.connect({ providerId: 'acme' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as PatchbayError).code).toBe('keychain_unavailable');
    expect(server.counts.code).toBe(1);
    expect(fault.writes).toBeGreaterThanOrEqual(2);
    await expectNothingHalfSaved(base);
  });
});
