/**
 * RFC 9700 / RFC 8252 properties of the connect flow, proven against a provider-like OAuth server
 * on 127.0.0.1 that counts every request, with the real keyring (run in test/with-keyring.sh).
 *
 * Each test names the property and fails if it breaks: a forged or missing state reaches the token
 * endpoint (counted), a code is exchanged twice (counted at the server, which also enforces
 * single use), PKCE S256 is missing or its verifier does not hash to the challenge, or a callback
 * to another endpoint is taken. HTTPS and `iss` are in security-oauth-endpoints.test.ts.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { parseProviderDefinition } from '../../main/core/providers/provider-schema';
import type { Authorizer } from '../../main/core/model/types';
import {
  browserAuthorizer,
  cleanupAll,
  definition,
  failure,
  nothingSaved,
  replayAuthorizer,
  setup,
  sharedCore,
  type Seen,
} from '../security/oauth-harness';
import { followRedirects } from './providers/browser';

afterEach(cleanupAll);

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
    expect(
      createHash('sha256')
        .update(server.lastTokenRequest?.body.code_verifier ?? '')
        .digest('base64url'),
    ).toBe(challenge);
  });

  it('plain PKCE cannot be configured', () => {
    expect(() =>
      parseProviderDefinition({ ...definition('https://a.example.com'), pkceMethodName: 'plain' }),
    ).toThrowError(expect.objectContaining({ code: 'invalid_input', field: 'pkceMethodName' }) as Error);
  });
});

describe('redirect URIs are compared exactly (RFC 9700 §4.1.3)', () => {
  it.each([
    [
      'another port',
      (u: URL) => {
        u.port = String(Number(u.port) + 1);
        return u;
      },
    ],
    [
      'another path',
      (u: URL) => {
        u.pathname = '/callback/x';
        return u;
      },
    ],
    [
      'another host',
      (u: URL) => {
        u.hostname = 'localhost';
        return u;
      },
    ],
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
