/**
 * The built-in Sandbox through the engine: the core starts it on demand (ensureSandbox), the
 * browser step signs in on its real pages over HTTP and comes back to the loopback listener,
 * then test, refresh (rotation) and RFC 7009 revocation run against oidc-provider.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PatchbayError } from '../../main/core/model/errors';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import type { ConnectionSecret } from '../../main/core/model/types';
import { stopEmbeddedSandboxes } from '../../main/sandbox/index';
import { freePort } from '../helpers/ports';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { keychainAccounts, makeHarness, type Harness } from './providers/harness';

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.cleanup();
  await stopEmbeddedSandboxes();
  harness = null;
});

function sandboxBrowser(deny = false) {
  return createLoopbackAuthorizer({
    openUrl: async (url) => {
      const callback = await completeSandboxSignIn(url, { deny, accountName: 'Grace Hopper' });
      await (await fetch(callback)).arrayBuffer();
    },
  });
}

type OAuthSecret = Extract<ConnectionSecret, { kind: 'oauth2' }>;

describe('Sandbox through the engine', () => {
  it('connects with no client ID to type, then tests, refreshes with rotation and revokes', async () => {
    harness = await makeHarness({ authorizers: [sandboxBrowser()], sandboxPort: await freePort() });
    const view = await harness.core.connect({ providerId: 'sandbox' });
    expect(view.status).toBe('connected');
    expect(view.label).toBe('Grace Hopper');
    expect(view.canRefresh).toBe(true);
    const first = (await harness.vault.getConnectionSecret(view.id)) as OAuthSecret;
    expect((await harness.core.test(view.id)).ok).toBe(true);
    await harness.core.refresh(view.id);
    const second = (await harness.vault.getConnectionSecret(view.id)) as OAuthSecret;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBeDefined();
    expect((await harness.core.test(view.id)).ok).toBe(true);
    await harness.core.disconnect(view.id);
    expect(await keychainAccounts(harness.service)).toEqual([]);
    const revocation = (await harness.core.trace(view.id)).entries.find((e) => e.step === 'revocation');
    expect(revocation?.ok).toBe(true);
  });

  it('Deny on the consent page is access_denied', async () => {
    harness = await makeHarness({ authorizers: [sandboxBrowser(true)], sandboxPort: await freePort() });
    const error = await harness.core.connect({ providerId: 'sandbox' }).then(
      () => null,
      (e: unknown) => e as PatchbayError,
    );
    expect(error?.code).toBe('access_denied');
    expect(await harness.core.listConnections()).toEqual([]);
  });
});
