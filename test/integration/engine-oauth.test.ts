/**
 * OAuth 2.0 connect flow against provider-like servers on 127.0.0.1, with the real keyring and a
 * real browser step (HTTP GET of the authorization URL, 302 to the loopback listener).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowEvent, ProviderDefinition } from '../../preload/contract';
import { PatchbayError } from '../../main/core/model/errors';
import type { Authorizer } from '../../main/core/model/types';
import { testBrowserAuthorizer } from './providers/browser';
import { keychainAccounts, makeHarness, readAllFiles, type Harness } from './providers/harness';
import { acmeDefinition, acmeInHarness } from './providers/acme';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions } from './providers/oauth-server';

const SECRET = 'acme-client-secret-4f1d9c';
let harness: Harness | null = null;
let server: OAuthServer | null = null;

afterEach(async () => {
  await harness?.cleanup();
  await server?.close();
  harness = null;
  server = null;
});

const definition = (base: string, extra: Partial<ProviderDefinition> = {}) =>
  acmeDefinition(base, { scopes: ['read', 'write'], ...extra });

async function setup(serverOptions: Partial<OAuthServerOptions> = {}, extra: Partial<ProviderDefinition> = {}) {
  server = await startOAuthServer({ clientId: 'acme-client', clientSecret: SECRET, ...serverOptions });
  // A forged or missing state keeps the loopback listener waiting: those flows end at a short timeout.
  const forged = serverOptions.authorizeMode === 'forged_state' || serverOptions.authorizeMode === 'missing_state';
  harness = await makeHarness(forged ? { flowTimeoutMs: 3_000 } : {});
  await acmeInHarness(harness, server, SECRET, { scopes: ['read', 'write'], ...extra });
  return { server, harness };
}

async function connectError(promise: Promise<unknown>): Promise<PatchbayError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PatchbayError);
  return error as PatchbayError;
}

describe('OAuth connect', () => {
  it('connects with PKCE S256 and client_secret_post, keychain before record, then labels the connection', async () => {
    const { server, harness } = await setup();
    const events: FlowEvent[] = [];
    const view = await harness.core.connect({ providerId: 'acme' }, { onEvent: (e) => events.push(e) });
    expect(view.status).toBe('connected');
    expect(view.label).toBe('Ada Lovelace');
    expect(view.scopes).toEqual(['read', 'write']);
    expect(view.canRefresh).toBe(true);
    expect(events.map((e) => e.stage)).toEqual([
      'started',
      'waiting_for_user',
      'exchanging',
      'saving',
      'identifying',
      'connected',
    ]);
    expect(events[1]?.authorizeUrl).toContain(`${server.base}/authorize?`);
    // The page learns where the sign-in is shown ("Use my browser instead" is offered for embedded only).
    expect(events[1]?.mode).toBe('browser');
    const authorizeUrl = new URL(events[1]!.authorizeUrl!);
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(server.counts.code).toBe(1);
    expect(server.lastTokenRequest?.body.client_secret).toBe(SECRET);
    expect(server.lastTokenRequest?.body.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const secret = await harness.vault.getConnectionSecret(view.id);
    expect(secret?.kind).toBe('oauth2');
    expect(server.accessTokens.has((secret as { accessToken: string }).accessToken)).toBe(true);
    expect(await keychainAccounts(harness.service)).toEqual(['client-secret:acme', `connection:${view.id}`]);
    const trace = await harness.core.trace(view.id);
    expect(trace.entries.map((e) => e.step)).toContain('token_request');
  });

  it('sends client_secret_basic and JSON bodies when the definition says so', async () => {
    const { server, harness } = await setup(
      { clientAuth: 'client_secret_basic', format: 'json' },
      { tokenAuthMethod: 'client_secret_basic', tokenRequestFormat: 'json' },
    );
    const view = await harness.core.connect({ providerId: 'acme' });
    expect(view.status).toBe('connected');
    expect(server.lastTokenRequest?.contentType).toContain('application/json');
    expect(server.lastTokenRequest?.authorization).toMatch(/^Basic /);
    expect(server.lastTokenRequest?.body.client_secret).toBeUndefined();
  });

  it('a form body sent to a JSON-only token endpoint is refused, and nothing is saved', async () => {
    const { server, harness } = await setup({ format: 'json' });
    const error = await connectError(harness.core.connect({ providerId: 'acme' }));
    expect(error.code).toBe('provider_error');
    expect(server.counts.token).toBe(1);
    expect(await harness.core.listConnections()).toEqual([]);
    expect(await keychainAccounts(harness.service)).toEqual(['client-secret:acme']);
  });

  it('absorbs string expires_in, a missing token_type and comma-separated scopes', async () => {
    const { harness } = await setup({ expiresIn: '7200', omitTokenType: true, commaScopes: true });
    const before = Date.now();
    const view = await harness.core.connect({ providerId: 'acme' });
    expect(view.scopes).toEqual(['read', 'write']);
    const expiresAt = Date.parse(view.expiresAt!);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 7_199_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7_200_000);
  });

  it('rejects a forged state before any token request', async () => {
    const { server, harness } = await setup({ authorizeMode: 'forged_state' });
    const error = await connectError(harness.core.connect({ providerId: 'acme' }));
    expect(error.code).toBe('state_mismatch');
    expect(server.counts.authorize).toBe(1);
    expect(server.counts.token).toBe(0);
    expect((await harness.core.trace('provider:acme')).entries.at(-1)?.detail).toContain('state_mismatch');
  });

  it('rejects a missing state before any token request', async () => {
    const { server, harness } = await setup({ authorizeMode: 'missing_state' });
    const error = await connectError(harness.core.connect({ providerId: 'acme' }));
    expect(error.code).toBe('state_mismatch');
    expect(server.counts.token).toBe(0);
  });

  it('requires a matching iss when the definition names an issuer', async () => {
    const { server, harness } = await setup({ iss: 'https://evil.example' }, {});
    await harness.core.saveProvider(definition(server.base, { issuer: server.base }));
    const error = await connectError(harness.core.connect({ providerId: 'acme' }));
    expect(error.code).toBe('state_mismatch');
    expect(server.counts.token).toBe(0);
    server.options.iss = undefined;
    expect((await connectError(harness.core.connect({ providerId: 'acme' }))).code).toBe('state_mismatch');
    server.options.iss = true;
    expect((await harness.core.connect({ providerId: 'acme' })).status).toBe('connected');
  });

  it('maps access_denied to a plain sentence and saves nothing', async () => {
    const { server, harness } = await setup({ authorizeMode: 'deny' });
    const events: FlowEvent[] = [];
    const error = await connectError(harness.core.connect({ providerId: 'acme' }, { onEvent: (e) => events.push(e) }));
    expect(error.code).toBe('access_denied');
    expect(error.message).toBe('You said no at Acme, so nothing was connected. {connect} to try again.');
    expect(events.at(-1)?.stage).toBe('failed');
    expect(server.counts.token).toBe(0);
    expect(await harness.core.listConnections()).toEqual([]);
  });

  it('a wrong client secret is invalid_client; a client without an ID is invalid_input on clientId', async () => {
    const { harness } = await setup();
    await harness.core.setClientCredentials({
      providerId: 'acme',
      clientId: 'acme-client',
      clientSecret: 'wrong-secret-123',
    });
    const error = await connectError(harness.core.connect({ providerId: 'acme' }));
    expect(error.code).toBe('invalid_client');
    expect(error.message).toBe('Acme did not accept the client ID or secret. Check them in Set up.');
    const empty = await harness.core.setClientCredentials({ providerId: 'acme', clientId: '  ' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(empty).toMatchObject({
      code: 'invalid_input',
      field: 'clientId',
      message: 'Client ID is empty. Paste the client ID of your Acme app.',
    });
    expect((await harness.core.listProviders()).find((p) => p.id === 'acme')?.clientId).toBe('acme-client');
    await harness.core.removeClientCredentials('acme');
    const missing = await connectError(harness.core.connect({ providerId: 'acme' }));
    expect(missing.code).toBe('invalid_input');
    expect(missing.field).toBe('clientId');
    expect((await harness.core.listProviders()).find((p) => p.id === 'acme')?.needs).toBe('client_id');
  });

  it('a confidential client without a saved secret is invalid_input on clientSecret before the browser opens', async () => {
    const { server, harness } = await setup();
    await harness.core.setClientCredentials({ providerId: 'acme', clientId: 'acme-client', clientSecret: '' });
    expect((await harness.core.listProviders()).find((p) => p.id === 'acme')?.hasClientSecret).toBe(false);
    const error = await connectError(harness.core.connect({ providerId: 'acme' }));
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe('clientSecret');
    expect(server.counts.authorize).toBe(0);
  });

  it('a code bound to another PKCE challenge (an injected code) fails at the server with invalid_grant, exchanged once', async () => {
    server = await startOAuthServer({ clientId: 'acme-client', clientSecret: SECRET });
    const inner = testBrowserAuthorizer();
    const tampering: Authorizer = {
      mode: 'browser',
      describeRedirectUri: (d) => inner.describeRedirectUri(d),
      async prepare(d) {
        const prepared = await inner.prepare(d);
        return {
          redirectUri: prepared.redirectUri,
          dispose: () => prepared.dispose(),
          authorize: (url, signal) => {
            const swapped = new URL(url);
            swapped.searchParams.set('code_challenge', 'A'.repeat(43));
            return prepared.authorize(swapped, signal);
          },
        };
      },
    };
    harness = await makeHarness({ authorizers: [tampering] });
    await harness.core.saveProvider(definition(server.base));
    await harness.core.setClientCredentials({ providerId: 'acme', clientId: 'acme-client', clientSecret: SECRET });
    const error = await connectError(harness.core.connect({ providerId: 'acme' }));
    expect(error.code).toBe('invalid_grant');
    expect(server.counts.code).toBe(1);
    expect(await harness.core.listConnections()).toEqual([]);
  });

  it('leaves no token, code or secret in any file under PATCHBAY_HOME after a full flow', async () => {
    const { server, harness } = await setup();
    const view = await harness.core.connect({ providerId: 'acme' });
    await harness.core.test(view.id);
    await harness.core.refresh(view.id);
    const secret = await harness.vault.getConnectionSecret(view.id);
    const values = [
      SECRET,
      ...server.accessTokens,
      ...server.refreshTokens,
      (secret as { accessToken: string }).accessToken,
    ];
    const files = await readAllFiles(harness.home);
    expect(files.length).toBeGreaterThan(1);
    for (const { file, text } of files) {
      for (const value of values) expect(text.includes(value), `${value} in ${file}`).toBe(false);
      expect(text).not.toMatch(/code-[0-9a-f]{24}/);
    }
  });
});
