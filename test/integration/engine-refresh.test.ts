/**
 * Refresh, test and disconnect against a provider-like server with the real keyring: refresh
 * ahead of expiry, once on a 401, kept and rotated refresh tokens, invalid_grant, 429 and 5xx
 * during refresh, RFC 7009 revocation, and the due-refresh scheduler.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderDefinition } from '../../preload/contract';
import { PatchbayError } from '../../main/core/model/errors';
import type { ConnectionSecret } from '../../main/core/model/types';
import { keychainAccounts, makeHarness, type Harness } from './providers/harness';
import { acmeInHarness } from './providers/acme';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions } from './providers/oauth-server';

let harness: Harness | null = null;
let server: OAuthServer | null = null;

afterEach(async () => {
  await harness?.cleanup();
  await server?.close();
  harness = null;
  server = null;
});

type OAuthSecret = Extract<ConnectionSecret, { kind: 'oauth2' }>;

async function connected(serverOptions: Partial<OAuthServerOptions> = {}, extra: Partial<ProviderDefinition> = {}) {
  server = await startOAuthServer({ clientId: 'acme-client', clientSecret: 'acme-secret-99', ...serverOptions });
  harness = await makeHarness();
  await acmeInHarness(harness, server, 'acme-secret-99', extra);
  const view = await harness.core.connect({ providerId: 'acme' });
  const secret = (await harness.vault.getConnectionSecret(view.id)) as OAuthSecret;
  return { server, harness, id: view.id, secret };
}

async function rejected(promise: Promise<unknown>): Promise<PatchbayError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PatchbayError);
  return error as PatchbayError;
}

describe('refresh', () => {
  it('refreshes an expiring token before a test and keeps the old refresh token when none is returned', async () => {
    const { server, harness, id, secret } = await connected({ expiresIn: 30 });
    expect((await harness.core.listConnections())[0]?.status).toBe('expiring');
    const result = await harness.core.test(id);
    expect(result.ok).toBe(true);
    expect(server.counts.refresh).toBe(1);
    const after = (await harness.vault.getConnectionSecret(id)) as OAuthSecret;
    expect(after.accessToken).not.toBe(secret.accessToken);
    expect(after.refreshToken).toBe(secret.refreshToken);
  });

  it('saves a rotated refresh token, and the next refresh uses it', async () => {
    const { server, harness, id, secret } = await connected({ rotateRefresh: true });
    await harness.core.refresh(id);
    const first = (await harness.vault.getConnectionSecret(id)) as OAuthSecret;
    expect(first.refreshToken).not.toBe(secret.refreshToken);
    expect(server.refreshTokens.has(secret.refreshToken!)).toBe(false);
    await harness.core.refresh(id);
    const second = (await harness.vault.getConnectionSecret(id)) as OAuthSecret;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(server.counts.refresh).toBe(2);
    expect((await harness.core.listConnections())[0]?.status).toBe('connected');
  });

  it('invalid_grant marks the connection needs_reconnect and keeps the secret in the keychain', async () => {
    const { server, harness, id, secret } = await connected();
    server.refreshTokens.clear();
    const error = await rejected(harness.core.refresh(id));
    expect(error.code).toBe('invalid_grant');
    const [view] = await harness.core.listConnections();
    expect(view?.status).toBe('needs_reconnect');
    expect(view?.lastError?.code).toBe('invalid_grant');
    expect(await harness.vault.getConnectionSecret(id)).toEqual(secret);
    expect(await keychainAccounts(harness.service)).toContain(`connection:${id}`);
  });

  it('a 429 during refresh is reported with Retry-After, not retried, and leaves the tokens alone', async () => {
    const { server, harness, id, secret } = await connected();
    server.options.tokenFailure = { kind: 'rate_limited', retryAfter: '120' };
    const before = server.counts.token;
    const error = await rejected(harness.core.refresh(id));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(120);
    expect(error.message).toBe('Acme says Patchbay is sending too many requests. Try again in about 2 minutes.');
    expect(server.counts.token - before).toBe(1);
    expect(await harness.vault.getConnectionSecret(id)).toEqual(secret);
    const [view] = await harness.core.listConnections();
    expect(view?.lastError?.code).toBe('rate_limited');
    expect(view?.status).toBe('connected');
  });

  it('an HTML 500 during refresh is a provider_error that never echoes the page', async () => {
    const { server, harness, id, secret } = await connected();
    server.options.tokenFailure = { kind: 'html500' };
    const error = await rejected(harness.core.refresh(id));
    expect(error.code).toBe('provider_error');
    expect(error.message).not.toContain('debug');
    expect(await harness.vault.getConnectionSecret(id)).toEqual(secret);
    const trace = await harness.core.trace(id);
    const entry = trace.entries.find((e) => e.httpStatus === 500);
    // Plain words for people; the content type and size stay in the technical line for diagnostics.
    expect(entry?.detail).toBe('Acme said no.');
    expect(entry?.technical).toMatch(/text\/html, \d+ bytes/);
  });

  it('on a 401 the test refreshes once and retries once', async () => {
    const { server, harness, id } = await connected();
    server.accessTokens.clear();
    const result = await harness.core.test(id);
    expect(result.ok).toBe(true);
    expect(server.counts.refresh).toBe(1);
    expect(server.counts.me).toBe(3); // label at connect, the 401, the retry
  });

  it('a 401 that survives the refresh is reported once, without a loop', async () => {
    const { server, harness, id } = await connected();
    server.accessTokens.clear();
    server.options.meName = undefined;
    const original = server.accessTokens.add.bind(server.accessTokens);
    server.accessTokens.add = () => server!.accessTokens; // new tokens are never accepted
    const result = await harness.core.test(id);
    server.accessTokens.add = original;
    expect(result.ok).toBe(false);
    expect(result.httpStatus).toBe(401);
    expect(server.counts.refresh).toBe(1);
    expect(server.counts.me).toBe(3);
    expect(result.connection.status).toBe('needs_reconnect');
  });

  it('concurrent tests in one process share one refresh', async () => {
    const { server, harness, id } = await connected({ expiresIn: 30, rotateRefresh: true, refreshDelayMs: 150 });
    const results = await Promise.all(Array.from({ length: 5 }, () => harness.core.test(id)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.counts.refresh).toBe(1);
  });

  it('the scheduler refreshes connections expiring within its margin', async () => {
    const { server, harness } = await connected({ expiresIn: 120 });
    const scheduler = harness.core.startRefreshScheduler(5 * 60_000, 50);
    try {
      for (let i = 0; i < 500 && server.counts.refresh === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await scheduler.stop();
    }
    expect(server.counts.refresh).toBeGreaterThanOrEqual(1);
  });
});

describe('disconnect', () => {
  it('revokes the refresh token, then the access token (RFC 7009), then deletes the keychain entry and record', async () => {
    const { server, harness, id, secret } = await connected();
    await harness.core.disconnect(id);
    expect(server.revoked).toEqual([
      { token: secret.refreshToken, hint: 'refresh_token' },
      { token: secret.accessToken, hint: 'access_token' },
    ]);
    expect(await harness.vault.getConnectionSecret(id)).toBeNull();
    expect(await keychainAccounts(harness.service)).toEqual(['client-secret:acme']);
    expect(await harness.core.listConnections()).toEqual([]);
    const steps = (await harness.core.trace(id)).entries.map((e) => `${e.step}:${e.ok}`);
    expect(steps).toEqual(expect.arrayContaining(['revocation:true', 'keychain_delete:true', 'settings_write:true']));
  });

  it('removes the connection locally even when revocation fails, and says so in the trace', async () => {
    const { server, harness, id } = await connected();
    await server.close();
    await harness.core.disconnect(id);
    expect(await harness.vault.getConnectionSecret(id)).toBeNull();
    expect(await harness.core.listConnections()).toEqual([]);
    const revocation = (await harness.core.trace(id)).entries.find((e) => e.step === 'revocation');
    expect(revocation?.ok).toBe(false);
    expect(revocation?.detail).toContain('network');
  });
});
