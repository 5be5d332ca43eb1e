/**
 * RFC 9700 / RFC 8252 properties of the connect flow, proven against a provider-like OAuth server
 * on 127.0.0.1 that counts every request, with the real keyring (run in test/with-keyring.sh).
 *
 * Each test names the property and fails if it breaks: a forged or missing state reaches the token
 * endpoint (counted), a code is exchanged twice (counted at the server, which also enforces
 * single use), PKCE S256 is missing or its verifier does not hash to the challenge, a callback to
 * another endpoint is taken, a plain-http non-loopback URL is accepted or contacted, or another
 * issuer's `iss` is accepted (mix-up).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core/create-core';
import { PatchbayError } from '../../main/core/errors';
import { createLoopbackAuthorizer } from '../../main/core/loopback-authorizer';
import { buildAuthorizationRequest, exchangeCode } from '../../main/core/oauth';
import { parseProviderDefinition } from '../../main/core/provider-schema';
import { openSettings } from '../../main/core/settings';
import type { Authorizer } from '../../main/core/types';
import type { ProviderDefinition } from '../../preload/contract';
import { followRedirects } from './providers/browser';
import { keychainAccounts, makeHarness, type Harness } from './providers/harness';
import { startOAuthServer, type OAuthServerOptions } from './providers/oauth-server';

const SECRET = 'sec-oauth-client-secret-91c2';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function definition(base: string, extra: Partial<ProviderDefinition> = {}): ProviderDefinition {
  return {
    id: 'acme', name: 'Acme', auth: 'oauth2', authorizationUrl: `${base}/authorize`, tokenUrl: `${base}/token`,
    testUrl: `${base}/me`, labelPath: 'name', scopes: ['read'], ...extra,
  };
}

interface Seen { authorize: URL[]; callbacks: URL[] }

/**
 * The system-browser authorizer, driven over real HTTP: follows the provider's redirects to the
 * loopback callback, then calls it `deliveries` times at once (a double-click, a reload).
 */
function browserAuthorizer(seen: Seen, deliveries = 1, rewrite?: (callback: URL) => URL): Authorizer {
  return createLoopbackAuthorizer({
    openUrl: async (url) => {
      seen.authorize.push(url);
      const callback = await followRedirects(url, (u) => u.hostname === '127.0.0.1' && u.pathname === '/callback' && u.port !== new URL(url).port);
      seen.callbacks.push(callback);
      const target = rewrite ? rewrite(callback) : callback;
      await Promise.all(Array.from({ length: deliveries }, () => fetch(target).then((r) => r.arrayBuffer()).catch(() => undefined)));
    },
  });
}

/** An authorizer that answers with a fixed callback URL (a replayed or forged one). */
function replayAuthorizer(callback: () => URL): Authorizer {
  return {
    mode: 'browser',
    describeRedirectUri: () => 'http://127.0.0.1/callback',
    async prepare() {
      const redirect = callback();
      return { redirectUri: `${redirect.origin}${redirect.pathname}`, authorize: async () => callback(), async dispose() {} };
    },
  };
}

async function setup(options: Partial<OAuthServerOptions> = {}, extra: Partial<ProviderDefinition> = {}, authorizers?: Authorizer[]) {
  const server = await startOAuthServer({ clientId: 'acme-client', clientSecret: SECRET, ...options });
  cleanups.push(() => server.close());
  const harness: Harness = await makeHarness(authorizers ? { authorizers } : {});
  cleanups.push(() => harness.cleanup());
  await harness.core.saveProvider(definition(server.base, extra));
  await harness.core.setClientCredentials({ providerId: 'acme', clientId: 'acme-client', clientSecret: SECRET });
  return { server, harness };
}

/** A second core (another window or process) on the same home and keychain, with its own authorizer. */
function sharedCore(harness: Harness, authorizers: Authorizer[]) {
  const core = createCore({
    home: harness.home, keychainService: harness.service, settings: openSettings({ home: harness.home }), vault: harness.vault,
    authorizers, flowTimeoutMs: 20_000, httpTimeoutMs: 5_000,
  });
  cleanups.push(() => core.close());
  return core;
}

async function failure(promise: Promise<unknown>): Promise<PatchbayError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(PatchbayError);
  return error as PatchbayError;
}

async function nothingSaved(harness: Harness): Promise<void> {
  expect(await harness.core.listConnections()).toEqual([]);
  expect((await keychainAccounts(harness.service)).filter((a) => a.startsWith('connection:'))).toEqual([]);
}

describe('state (RFC 9700 §4.7, RFC 6749 §10.12)', () => {
  it('a forged state is rejected before any token request, and nothing is saved', async () => {
    const { server, harness } = await setup({ authorizeMode: 'forged_state' });
    expect((await failure(harness.core.connect({ providerId: 'acme' }))).code).toBe('state_mismatch');
    expect(server.counts.authorize).toBe(1);
    expect(server.counts.token).toBe(0);
    await nothingSaved(harness);
  });

  it('a missing state is rejected before any token request, and nothing is saved', async () => {
    const { server, harness } = await setup({ authorizeMode: 'missing_state' });
    expect((await failure(harness.core.connect({ providerId: 'acme' }))).code).toBe('state_mismatch');
    expect(server.counts.token).toBe(0);
    await nothingSaved(harness);
  });
});

describe('authorization codes are exchanged once', () => {
  it('the same callback delivered three times at once is exchanged exactly once', async () => {
    const seen: Seen = { authorize: [], callbacks: [] };
    const { server, harness } = await setup({}, {}, [browserAuthorizer(seen, 3)]);
    const view = await harness.core.connect({ providerId: 'acme' });
    expect(view.status).toBe('connected');
    expect(server.counts.code).toBe(1);
    expect(await harness.core.listConnections()).toHaveLength(1);
  });

  it('replaying a used callback in a new attempt is refused without a token request', async () => {
    const seen: Seen = { authorize: [], callbacks: [] };
    const { server, harness } = await setup({}, {}, [browserAuthorizer(seen)]);
    await harness.core.connect({ providerId: 'acme' });
    const tokenRequests = server.counts.token;
    const old = seen.callbacks[0]!;
    expect(old.searchParams.get('code')).toBeTruthy();
    // A second core (another window) receives the first attempt's callback: its state is not this attempt's.
    const replay = sharedCore(harness, [replayAuthorizer(() => new URL(old.href))]);
    expect((await failure(replay.connect({ providerId: 'acme' }))).code).toBe('state_mismatch');
    expect(server.counts.token).toBe(tokenRequests);
    expect(await harness.core.listConnections()).toHaveLength(1);
  });
});

describe('PKCE (RFC 7636, RFC 9700 §2.1.1)', () => {
  it('sends an S256 challenge and a verifier that hashes to it, by default', async () => {
    const seen: Seen = { authorize: [], callbacks: [] };
    const { server, harness } = await setup({}, {}, [browserAuthorizer(seen)]);
    await harness.core.connect({ providerId: 'acme' });
    const authorize = seen.authorize[0]!;
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const challenge = authorize.searchParams.get('code_challenge') ?? '';
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const verifier = server.lastTokenRequest?.body.code_verifier ?? '';
    expect(verifier.length).toBeGreaterThanOrEqual(43);
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(challenge);
  });

  it('a provider that spells the method "s256" still gets a real S256 challenge (never plain)', async () => {
    const seen: Seen = { authorize: [], callbacks: [] };
    const { server, harness } = await setup({}, { pkceMethodName: 's256' }, [browserAuthorizer(seen)]);
    await harness.core.connect({ providerId: 'acme' });
    const challenge = seen.authorize[0]!.searchParams.get('code_challenge');
    expect(seen.authorize[0]!.searchParams.get('code_challenge_method')).toBe('s256');
    expect(createHash('sha256').update(server.lastTokenRequest?.body.code_verifier ?? '').digest('base64url')).toBe(challenge);
  });

  it('plain PKCE cannot be configured', () => {
    expect(() => parseProviderDefinition({ ...definition('https://a.example.com'), pkceMethodName: 'plain' }))
      .toThrowError(expect.objectContaining({ code: 'invalid_input', field: 'pkceMethodName' }) as Error);
  });
});

describe('redirect URIs are compared exactly (RFC 9700 §4.1.3)', () => {
  it.each([
    ['another port', (u: URL) => { u.port = String(Number(u.port) + 1); return u; }],
    ['another path', (u: URL) => { u.pathname = '/callback/x'; return u; }],
    ['another host', (u: URL) => { u.hostname = 'localhost'; return u; }],
  ])('a callback to %s is refused before any token request', async (_name, change) => {
    const { server, harness } = await setup();
    // The right state (read from the real authorization URL), delivered to a near-miss endpoint.
    let prepared: { state: string; redirect: string } | null = null;
    const forging: Authorizer = {
      mode: 'browser',
      describeRedirectUri: () => 'http://127.0.0.1/callback',
      async prepare() {
        const redirect = 'http://127.0.0.1:51999/callback';
        return {
          redirectUri: redirect,
          authorize: async (url: URL) => {
            prepared = { state: url.searchParams.get('state') ?? '', redirect };
            const callback = new URL(`${redirect}?code=abc&state=${encodeURIComponent(prepared.state)}`);
            return change(callback);
          },
          async dispose() {},
        };
      },
    };
    const forged = sharedCore(harness, [forging]);
    expect((await failure(forged.connect({ providerId: 'acme' }))).code).toBe('state_mismatch');
    expect(prepared).not.toBeNull();
    expect(server.counts.token).toBe(0);
  });

  it('the loopback listener answers only GET /callback: look-alike paths never end the flow', async () => {
    const hits: Array<[string, number]> = [];
    const authorizer = createLoopbackAuthorizer({
      openUrl: async (url) => {
        const callback = await followRedirects(url, (u) => u.pathname === '/callback' && u.port !== new URL(url).port);
        for (const bad of ['/callback/', '/Callback', '/callbackx', '/x/../callback2', '/%63allback']) {
          const res = await fetch(`${callback.origin}${bad}${callback.search}`);
          hits.push([bad, res.status]);
        }
        await fetch(callback);
      },
    });
    const { server, harness } = await setup({}, {}, [authorizer]);
    await harness.core.connect({ providerId: 'acme' });
    expect(hits.every(([, status]) => status === 404)).toBe(true);
    expect(server.counts.code).toBe(1);
  });
});

describe('HTTPS for every non-loopback provider URL (RFC 9700 §2.6, RFC 8252 §8.3)', () => {
  const fields = ['authorizationUrl', 'tokenUrl', 'revocationUrl', 'testUrl', 'issuer', 'errorPageUrl'] as const;
  it.each(fields)('http:// on another host in %s is refused, naming the field', async (field) => {
    const harness = await makeHarness();
    cleanups.push(() => harness.cleanup());
    const def = { ...definition('https://acme.example.com'), [field]: 'http://acme.example.com/x' };
    const error = await failure(harness.core.saveProvider(def));
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/https:\/\//);
    await expect(harness.core.exportProviders()).resolves.not.toContain('acme.example.com');
  });

  it('the engine itself never sends a token request over plain http to a non-loopback address', async () => {
    // 127.0.0.2 reaches this machine but is not one of the loopback names the engine trusts, so it
    // stands in for "a plain-http host on the network": it must receive nothing.
    let received = 0;
    const server = http.createServer((_req, res) => { received += 1; res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"x","token_type":"bearer"}'); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', () => resolve()));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
    const def: ProviderDefinition = { ...definition(base), tokenAuthMethod: 'none' };
    const request = await buildAuthorizationRequest(def, 'c', 'http://127.0.0.1:5/callback');
    const params = new URLSearchParams({ code: 'abc' });
    const trace = { add: () => undefined };
    const ctx = { fetch, clock: { now: () => Date.now() }, timeoutMs: 5_000, trace, providerName: 'Acme' };
    await expect(exchangeCode(ctx, def, { clientId: 'c', clientSecret: null }, params, request)).rejects.toBeInstanceOf(PatchbayError);
    expect(received).toBe(0);
  });
});

describe('mix-up defence with iss (RFC 9207)', () => {
  it("a callback carrying another provider's issuer is refused before any token request", async () => {
    const other = await startOAuthServer({ clientId: 'acme-client', clientSecret: SECRET, iss: true });
    cleanups.push(() => other.close());
    // The honest provider advertises its issuer; the attacker's server answers with its own iss.
    const { server, harness } = await setup({ iss: other.base });
    await harness.core.saveProvider(definition(server.base, { issuer: server.base }));
    expect((await failure(harness.core.connect({ providerId: 'acme' }))).code).toBe('state_mismatch');
    expect(server.counts.token + other.counts.token).toBe(0);
    await nothingSaved(harness);
  });

  it('with an issuer configured, a callback without iss is refused; the right iss connects', async () => {
    const { server, harness } = await setup({ iss: false });
    await harness.core.saveProvider(definition(server.base, { issuer: server.base }));
    expect((await failure(harness.core.connect({ providerId: 'acme' }))).code).toBe('state_mismatch');
    expect(server.counts.token).toBe(0);
    server.options.iss = true;
    expect((await harness.core.connect({ providerId: 'acme' })).status).toBe('connected');
    expect(server.counts.code).toBe(1);
  });
});
