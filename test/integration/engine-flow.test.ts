/**
 * The connect flow's edges and the facade around it: whole-flow timeout, cancel, one flow per
 * provider, a token endpoint that hangs, the embedded-style authorizer, provider management,
 * views built without the keychain, and status derivation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../preload/contract';
import type { PatchbayError } from '../../main/core/model/errors';
import type { SecretVault } from '../../main/core/model/types';
import { createCore } from '../../main/core/facade/create-core';
import { openSettings } from '../../main/core/storage/settings';
import { deriveStatus } from '../../main/core/facade/views';
import { embeddedLikeAuthorizer, testBrowserAuthorizer, walkAwayAuthorizer } from './providers/browser';
import { makeHarness, type Harness } from './providers/harness';
import { acmeInHarness } from './providers/acme';
import { startOAuthServer, type OAuthServer } from './providers/oauth-server';

let harness: Harness | null = null;
let server: OAuthServer | null = null;

afterEach(async () => {
  await harness?.cleanup();
  await server?.close();
  harness = null;
  server = null;
});

async function setup(options: Parameters<typeof makeHarness>[0] = {}) {
  server = await startOAuthServer({ clientId: 'acme-client', clientSecret: 'acme-secret-55' });
  harness = await makeHarness(options);
  await acmeInHarness(harness, server, 'acme-secret-55', { scopes: undefined });
  return { server, harness };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as PatchbayError,
  );

/** Resolves when `happened` is called with true; fails the test with `what` after `ms`. */
function condition(what: string, ms = 15_000): { met: Promise<void>; check: (happened: boolean) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const met = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  return {
    met,
    check: (happened) => {
      if (happened) {
        clearTimeout(timer);
        resolve();
      }
    },
  };
}

describe('connect flow edges', () => {
  it('stops with timeout when the user never comes back', async () => {
    const { harness } = await setup({ authorizers: [walkAwayAuthorizer()], flowTimeoutMs: 300 });
    const events: FlowEvent[] = [];
    const error = await failure(harness.core.connect({ providerId: 'acme' }, { onEvent: (e) => events.push(e) }));
    expect(error?.code).toBe('timeout');
    expect(events.at(-1)?.stage).toBe('failed');
    expect(events.at(-1)?.error?.code).toBe('timeout');
  });

  it('cancelFlow cancels; a second connect while one waits is busy', async () => {
    const { harness } = await setup({ authorizers: [walkAwayAuthorizer()] });
    const events: FlowEvent[] = [];
    const waiting = condition('the flow to wait for the user');
    const first = failure(
      harness.core.connect(
        { providerId: 'acme' },
        {
          onEvent: (e) => {
            events.push(e);
            waiting.check(e.stage === 'waiting_for_user');
          },
        },
      ),
    );
    await waiting.met;
    expect((await failure(harness.core.connect({ providerId: 'acme' })))?.code).toBe('busy');
    expect(harness.core.cancelFlow('acme')).toBe(true);
    expect((await first)?.code).toBe('cancelled');
    expect(events.at(-1)?.stage).toBe('cancelled');
    expect(harness.core.cancelFlow('acme')).toBe(false);
  });

  it("the caller's AbortSignal cancels the flow", async () => {
    const { harness } = await setup({ authorizers: [walkAwayAuthorizer()] });
    const controller = new AbortController();
    const events: FlowEvent[] = [];
    // Aborted while the flow waits for the user, not at some moment that happens to fall there.
    const pending = failure(
      harness.core.connect(
        { providerId: 'acme' },
        {
          signal: controller.signal,
          onEvent: (e) => {
            events.push(e);
            if (e.stage === 'waiting_for_user') controller.abort();
          },
        },
      ),
    );
    expect((await pending)?.code).toBe('cancelled');
    expect(events.map((e) => e.stage)).toContain('waiting_for_user');
    expect(events.at(-1)?.stage).toBe('cancelled');
  });

  it('a token endpoint that hangs ends in timeout and saves nothing', async () => {
    const { server, harness } = await setup({ httpTimeoutMs: 300 });
    server.options.tokenFailure = { kind: 'hang' };
    expect((await failure(harness.core.connect({ providerId: 'acme' })))?.code).toBe('timeout');
    expect(await harness.core.listConnections()).toEqual([]);
  });

  it('works with an embedded-style authorizer and its custom-scheme redirect', async () => {
    const { server, harness } = await setup({ authorizers: [testBrowserAuthorizer(), embeddedLikeAuthorizer()] });
    const view = await harness.core.connect({ providerId: 'acme', mode: 'embedded' });
    expect(view.status).toBe('connected');
    expect(server.lastTokenRequest?.body.redirect_uri).toBe('patchbay://oauth/callback');
  });
});

describe('providers and views', () => {
  it('custom providers: upsert, no built-in ids, no delete while connected, export = import', async () => {
    const { harness } = await setup();
    expect(
      (
        await failure(
          harness.core.saveProvider({
            id: 'sandbox',
            name: 'Mine',
            auth: 'apiKey',
            apiKeyHeader: 'X-Key',
            testUrl: 'https://x.example/me',
          }),
        )
      )?.field,
    ).toBe('id');
    const view = await harness.core.connect({ providerId: 'acme' });
    const blocked = await failure(harness.core.deleteProvider('acme'));
    expect(blocked?.code).toBe('invalid_input');
    expect(blocked?.message).toContain('Disconnect it first');
    const exported = await harness.core.exportProviders(['acme']);
    await harness.core.disconnect(view.id);
    await harness.core.deleteProvider('acme');
    expect((await harness.core.listProviders()).some((p) => p.id === 'acme')).toBe(false);
    const imported = await harness.core.importProviders(exported);
    expect(imported.map((p) => p.id)).toEqual(['acme']);
    expect((await failure(harness.core.deleteProvider('sandbox')))?.code).toBe('invalid_input');
  });

  it('lists providers and connections without touching the keychain', async () => {
    const { harness } = await setup();
    await harness.core.connect({ providerId: 'acme' });
    const vault = harness.vault as SecretVault;
    const calls: string[] = [];
    for (const name of Object.keys(vault) as Array<keyof SecretVault>) {
      const original = vault[name] as (...args: unknown[]) => unknown;
      (vault as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        calls.push(name);
        return original(...args);
      };
    }
    const providers = await harness.core.listProviders();
    const connections = await harness.core.listConnections();
    expect(calls).toEqual([]);
    const acme = providers.find((p) => p.id === 'acme');
    expect(acme).toMatchObject({
      clientId: 'acme-client',
      hasClientSecret: true,
      needs: null,
      redirectUri: 'http://127.0.0.1/callback',
    });
    expect(providers.find((p) => p.id === 'sandbox')).toMatchObject({ clientId: 'patchbay-desktop', needs: null });
    expect(providers.find((p) => p.id === 'livechat')?.needs).toBe('client_id');
    expect(JSON.stringify([providers, connections])).not.toContain('acme-secret-55');
  });

  it("onChange reports this core's changes at once and another process's changes on re-read", async () => {
    const { harness } = await setup();
    const seen: string[] = [];
    let providersChanged: ReturnType<typeof condition> | null = null;
    const off = harness.core.onChange((what) => {
      seen.push(what);
      providersChanged?.check(what === 'providers');
    });
    await harness.core.connect({ providerId: 'acme' });
    expect(seen).toContain('connections');
    seen.length = 0;
    const changed = condition("the other process's provider change");
    providersChanged = changed;
    // A second core on the same folder and keychain stands in for another Patchbay process.
    const other = createCore({
      home: harness.home,
      keychainService: harness.service,
      settings: openSettings({ home: harness.home }),
      vault: harness.vault,
      authorizers: [testBrowserAuthorizer()],
    });
    await other.saveProvider({
      id: 'other',
      name: 'Other',
      auth: 'apiKey',
      apiKeyHeader: 'X-Key',
      testUrl: 'https://other.example/me',
    });
    await changed.met.finally(async () => {
      off();
      await other.close();
    });
    expect(seen).toContain('providers');
  });

  it('derives status: sticky states first, then expiry (10-minute window)', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    const at = (ms: number) => new Date(now + ms).toISOString();
    expect(deriveStatus({ state: 'ok', expiresAt: null }, now)).toBe('connected');
    expect(deriveStatus({ state: 'ok', expiresAt: at(-1) }, now)).toBe('expired');
    expect(deriveStatus({ state: 'ok', expiresAt: at(9 * 60_000) }, now)).toBe('expiring');
    expect(deriveStatus({ state: 'ok', expiresAt: at(11 * 60_000) }, now)).toBe('connected');
    expect(deriveStatus({ state: 'needs_reconnect', expiresAt: at(3_600_000) }, now)).toBe('needs_reconnect');
    expect(deriveStatus({ state: 'error', expiresAt: null }, now)).toBe('error');
  });
});
