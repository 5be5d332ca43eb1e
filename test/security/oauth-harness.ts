/**
 * Shared set-up for the OAuth security tests (test/integration/security-oauth*.test.ts): a
 * provider-like OAuth server that counts requests, a core on the real keyring, and authorizers
 * that deliver genuine, repeated, replayed or forged callbacks over real HTTP.
 */
import { expect } from 'vitest';
import { createCore } from '../../main/core/facade/create-core';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { openSettings } from '../../main/core/storage/settings';
import type { Authorizer } from '../../main/core/model/types';
import type { ProviderDefinition } from '../../preload/contract';
import { followRedirects } from '../integration/providers/browser';
import { keychainAccounts, makeHarness, type Harness } from '../integration/providers/harness';
import { startOAuthServer, type OAuthServerOptions } from '../integration/providers/oauth-server';
export { failure } from '../helpers/failure';

export const SECRET = 'sec-oauth-client-secret-91c2';
const cleanups: Array<() => Promise<void>> = [];

/** Close servers and cores and remove homes and keychain entries made since the last call (afterEach). */
export async function cleanupAll(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
}

/** Run `fn` at the next cleanupAll(). */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

export function definition(base: string, extra: Partial<ProviderDefinition> = {}): ProviderDefinition {
  return {
    id: 'acme',
    name: 'Acme',
    auth: 'oauth2',
    authorizationUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    testUrl: `${base}/me`,
    labelPath: 'name',
    scopes: ['read'],
    ...extra,
  };
}

export interface Seen {
  authorize: URL[];
  callbacks: URL[];
}

/**
 * The system-browser authorizer, driven over real HTTP: follows the provider's redirects to the
 * loopback callback, then calls it `deliveries` times at once (a double-click, a reload).
 */
export function browserAuthorizer(seen: Seen, deliveries = 1, rewrite?: (callback: URL) => URL): Authorizer {
  return createLoopbackAuthorizer({
    openUrl: async (url) => {
      seen.authorize.push(url);
      const callback = await followRedirects(
        url,
        (u) => u.hostname === '127.0.0.1' && u.pathname === '/callback' && u.port !== new URL(url).port,
      );
      seen.callbacks.push(callback);
      const target = rewrite ? rewrite(callback) : callback;
      await Promise.all(
        Array.from({ length: deliveries }, () =>
          fetch(target)
            .then((r) => r.arrayBuffer())
            .catch(() => undefined),
        ),
      );
    },
  });
}

/** An authorizer that answers with a fixed callback URL (a replayed or forged one). */
export function replayAuthorizer(callback: () => URL): Authorizer {
  return {
    mode: 'browser',
    describeRedirectUri: () => 'http://127.0.0.1/callback',
    async prepare() {
      const redirect = callback();
      return {
        redirectUri: `${redirect.origin}${redirect.pathname}`,
        authorize: async () => callback(),
        async dispose() {},
      };
    },
  };
}

export async function setup(
  options: Partial<OAuthServerOptions> = {},
  extra: Partial<ProviderDefinition> = {},
  authorizers?: Authorizer[],
) {
  const server = await startOAuthServer({ clientId: 'acme-client', clientSecret: SECRET, ...options });
  cleanups.push(() => server.close());
  // A forged or missing state no longer ends the loopback flow (the listener keeps waiting for the
  // real answer), so those flows end at a short timeout, reported as state_mismatch.
  const forged = options.authorizeMode === 'forged_state' || options.authorizeMode === 'missing_state';
  const harness: Harness = await makeHarness({
    ...(authorizers ? { authorizers } : {}),
    ...(forged ? { flowTimeoutMs: 3_000 } : {}),
  });
  cleanups.push(() => harness.cleanup());
  await harness.core.saveProvider(definition(server.base, extra));
  await harness.core.setClientCredentials({ providerId: 'acme', clientId: 'acme-client', clientSecret: SECRET });
  return { server, harness };
}

/** A second core (another window or process) on the same home and keychain, with its own authorizer. */
export function sharedCore(harness: Harness, authorizers: Authorizer[]) {
  const core = createCore({
    home: harness.home,
    keychainService: harness.service,
    settings: openSettings({ home: harness.home }),
    vault: harness.vault,
    authorizers,
    flowTimeoutMs: 20_000,
    httpTimeoutMs: 5_000,
  });
  cleanups.push(() => core.close());
  return core;
}

export async function nothingSaved(harness: Harness): Promise<void> {
  expect(await harness.core.listConnections()).toEqual([]);
  expect((await keychainAccounts(harness.service)).filter((a) => a.startsWith('connection:'))).toEqual([]);
}
