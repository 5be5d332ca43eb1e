/**
 * The keep-alive rule of the refresh scheduler, against a provider-like server and the real
 * keyring: a refresh token unused for a week is renewed even though its access token is still
 * good for a day (providers let unused refresh tokens lapse), the renewal is recorded so the
 * next sweep leaves it alone, and a connection whose last operation failed is not retried by
 * the sweep every minute.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEEP_ALIVE_MS } from '../../main/core/flows/refresh';
import { openSettings } from '../../main/core/storage/settings';
import { makeHarness, type Harness } from './providers/harness';
import { startOAuthServer, type OAuthServer } from './providers/oauth-server';

let harness: Harness | null = null;
let server: OAuthServer | null = null;

afterEach(async () => {
  await harness?.cleanup();
  await server?.close();
  harness = null;
  server = null;
});

const MARGIN = 5 * 60_000;

async function connectedLongLived() {
  server = await startOAuthServer({ clientId: 'acme-client', clientSecret: 'acme-secret-99', expiresIn: 24 * 3600 });
  harness = await makeHarness();
  const base = server.base;
  await harness.core.saveProvider({
    id: 'acme',
    name: 'Acme',
    auth: 'oauth2',
    authorizationUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    testUrl: `${base}/me`,
    labelPath: 'name',
    scopes: ['read'],
  });
  await harness.core.setClientCredentials({
    providerId: 'acme',
    clientId: 'acme-client',
    clientSecret: 'acme-secret-99',
  });
  const view = await harness.core.connect({ providerId: 'acme' });
  const settings = openSettings({ home: harness.home });
  /** Make the connection look as if its refresh token was last used `ago` ms ago. */
  const lastUsed = (ago: number, extra: { lastError?: boolean } = {}) =>
    settings.update((data) => {
      const record = data.connections.find((c) => c.id === view.id)!;
      record.refreshedAt = new Date(Date.now() - ago).toISOString();
      if (extra.lastError) record.lastError = { code: 'network', message: 'Could not reach Acme.' };
    });
  const record = () => settings.read().connections.find((c) => c.id === view.id)!;
  return { server, harness, id: view.id, lastUsed, record };
}

describe('keeping rarely used refresh tokens alive', () => {
  it('renews a refresh token unused for a week, once, while the access token is still valid', async () => {
    const { server, harness, lastUsed, record } = await connectedLongLived();
    await harness.core.refreshDue(MARGIN);
    expect(server.counts.refresh).toBe(0);

    await lastUsed(KEEP_ALIVE_MS + 60_000);
    await harness.core.refreshDue(MARGIN);
    expect(server.counts.refresh).toBe(1);
    expect(Date.parse(record().refreshedAt!)).toBeGreaterThan(Date.now() - 60_000);
    // Used just now: the next sweeps leave it alone.
    await harness.core.refreshDue(MARGIN);
    await harness.core.refreshDue(MARGIN);
    expect(server.counts.refresh).toBe(1);
  });

  it('leaves alone one used within the week, and one whose last operation failed', async () => {
    const { server, harness, lastUsed } = await connectedLongLived();
    await lastUsed(KEEP_ALIVE_MS - 60 * 60_000);
    await harness.core.refreshDue(MARGIN);
    expect(server.counts.refresh).toBe(0);
    await lastUsed(KEEP_ALIVE_MS + 60_000, { lastError: true });
    await harness.core.refreshDue(MARGIN);
    expect(server.counts.refresh).toBe(0);
  });
});
