/**
 * Crash safety of a refresh with rotation, and single-flight refresh across the app and the CLI.
 *
 * Crash: a real `patchbay refresh` process is SIGKILLed after the provider has rotated the refresh
 * token (the old one is now dead at the provider) and after the new token set reached the
 * keychain, but before the command finished (it is still waiting to update the connection
 * record). The test makes that moment deterministic by holding the settings file's cross-process
 * lock, so the child stops right after its keychain write; it watches the keychain from outside
 * and kills the child the moment the new tokens appear. Afterwards the connection still works
 * with what the provider honours — proof the new token set was saved before anything else.
 *
 * Concurrency: the app-equivalent (a core in this process) and two CLI processes use one expired
 * connection at once; the provider sees exactly one refresh and all three succeed. The provider
 * holds that refresh open until the app has read the old token, and the traces prove the overlap:
 * the two callers that did not refresh each found the token renewed by someone else while they
 * waited, which they can only say if they read it before the refresh ended.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../main/core/storage/file-lock';
import { openSettings } from '../../main/core/storage/settings';
import { createKeytarVault } from '../../main/core/storage/vault';
import { collect, runCli, spawnCli } from '../helpers/cli';
import { makeHarness, type Harness } from './providers/harness';
import { acmeInHarness } from './providers/acme';
import { startOAuthServer, type OAuthServer } from './providers/oauth-server';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function connected(options: {
  expiresIn: number;
  refreshGate?: Promise<void>;
}): Promise<{ server: OAuthServer; harness: Harness; id: string; env: NodeJS.ProcessEnv }> {
  const server = await startOAuthServer({
    clientId: 'acme-client',
    clientSecret: 'crash-client-secret',
    rotateRefresh: true,
    ...options,
  });
  cleanups.push(() => server.close());
  const harness = await makeHarness();
  cleanups.push(() => harness.cleanup());
  await acmeInHarness(harness, server, 'crash-client-secret', { revocationUrl: undefined });
  const view = await harness.core.connect({ providerId: 'acme' });
  return { server, harness, id: view.id, env: { ...process.env, ...harness.env, NO_COLOR: '1' } };
}

async function waitFor<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('crash safety: killed between the rotated refresh token and the end of the request', () => {
  it(
    'SIGKILL after the keychain write: the connection keeps working with the tokens the provider honours',
    { timeout: 150_000 },
    async () => {
      const { server, harness, id, env } = await connected({ expiresIn: 3600 });
      const vault = createKeytarVault(harness.service);
      const before = await vault.getConnectionSecret(id);
      if (before?.kind !== 'oauth2') throw new Error('expected an OAuth connection');
      const settingsPath = openSettings({ home: harness.home }).path;

      let killedOutput = '';
      await withFileLock(
        settingsPath,
        async () => {
          const child = spawnCli(['refresh', id, '--json'], env);
          child.stdin.end();
          const done = collect(child);
          // The provider answers the refresh: the old refresh token is dead from here on.
          await waitFor(
            async () => (server.counts.refresh >= 1 && !server.refreshTokens.has(before.refreshToken!) ? true : null),
            'the provider to rotate',
          );
          // The new token set reaches the keychain; the child now waits for the settings lock we hold.
          const after = await waitFor(async () => {
            const s = await vault.getConnectionSecret(id);
            return s?.kind === 'oauth2' && s.accessToken !== before.accessToken ? s : null;
          }, 'the keychain write');
          expect(server.refreshTokens.has(after.refreshToken!)).toBe(true);
          child.kill('SIGKILL');
          const result = await done;
          killedOutput = result.stdout;
          expect(child.signalCode).toBe('SIGKILL');
        },
        { timeoutMs: 60_000, staleMs: 60_000 },
      );
      // It really died before finishing: it never reported a result.
      expect(killedOutput).toBe('');

      // A fresh process tests the connection with the saved (new) access token...
      const test = await runCli(['test', id, '--json'], env);
      expect(test.code, test.stderr).toBe(0);
      expect(JSON.parse(test.stdout)).toMatchObject({ ok: true, httpStatus: 200 });
      // ...and renews it with the saved (new) refresh token, after the dead process's lock goes stale.
      const refresh = await runCli(['refresh', id, '--json'], env);
      expect(refresh.code, refresh.stderr).toBe(0);
      expect(server.counts.refresh).toBe(2);
      const record = openSettings({ home: harness.home })
        .read()
        .connections.find((c) => c.id === id);
      expect(record?.state).toBe('ok');
    },
  );
});

describe('concurrency: the app and two CLI processes on one expired connection', () => {
  it(
    'exactly one refresh at the provider, all three succeed, and all three overlapped',
    { timeout: 150_000 },
    async () => {
      let release!: () => void;
      const refreshGate = new Promise<void>((r) => (release = r));
      const { server, harness, id, env } = await connected({ expiresIn: 30, refreshGate });
      cleanups.push(async () => release());
      server.options.expiresIn = 3600; // tokens from the refresh are fresh, so a late caller has no reason to refresh again
      expect((await harness.core.listConnections())[0]?.status).toBe('expiring');
      const cli = () => runCli(['test', id, '--json'], env);
      const clis = [cli(), cli()];
      // One CLI's refresh is now at the provider, held open: nobody has the new token yet.
      await waitFor(async () => (server.counts.refresh >= 1 ? true : null), 'a refresh to reach the provider');
      // The app joins while it is held, and reads the old (expiring) token from the keychain.
      const vault = harness.vault;
      const read = vault.getConnectionSecret.bind(vault);
      let appReadOld = false;
      vault.getConnectionSecret = async (connectionId) => {
        const secret = await read(connectionId);
        if (connectionId === id && secret?.kind === 'oauth2' && server.counts.refresh === 1 && !appReadOld)
          appReadOld = true;
        return secret;
      };
      const app = harness.core.test(id);
      await waitFor(async () => (appReadOld ? true : null), 'the app to read the old token');
      release();
      const [a, b] = await Promise.all(clis);
      for (const r of [a!, b!]) {
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
      }
      expect((await app).ok).toBe(true);
      expect(server.counts.refresh).toBe(1);
      // The overlap, from each caller's own trace: one refreshed, the other two waited for it.
      const steps = (await harness.core.trace(id)).entries.map((e) => `${e.step}: ${e.detail}`);
      expect(
        steps.filter((s) => s.startsWith('keychain_write: Saved the renewed tokens')),
        steps.join('\n'),
      ).toHaveLength(1);
      expect(
        steps.filter((s) => s.includes('already renewed the token')),
        steps.join('\n'),
      ).toHaveLength(2);
    },
  );
});
