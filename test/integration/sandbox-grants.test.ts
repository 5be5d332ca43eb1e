/**
 * Client credentials and the device code grant against the real Sandbox (oidc-provider), through
 * the engine with the real keyring: connect, test, request, renewal when the token is due, and the
 * failures people meet (a wrong client secret, a code denied on the Sandbox's own pages).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../preload/contract';
import type { ConnectionSecret } from '../../main/core/model/types';
import { stopEmbeddedSandboxes } from '../../main/sandbox/index';
import { SANDBOX_MACHINE_CLIENT_SECRET } from '../../main/sandbox/provider-config';
import { freePort } from '../helpers/ports';
import { completeSandboxDevice } from '../helpers/sandbox-device';
import { keychainAccounts, makeHarness, type Harness } from './providers/harness';
import { failure } from '../helpers/failure';

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.cleanup();
  await stopEmbeddedSandboxes();
  harness = null;
});

type OAuthSecret = Extract<ConnectionSecret, { kind: 'oauth2' }>;

/** A clock the test moves by hand (the Sandbox keeps real time; only Patchbay's view of expiry moves). */
function movableClock() {
  let offset = 0;
  return { clock: { now: () => Date.now() + offset }, advance: (ms: number) => (offset += ms) };
}

describe('Sandbox (machine): client credentials', () => {
  it('connects without a browser, tests, calls the API and renews by the same grant when due', async () => {
    const time = movableClock();
    // No authorizer at all: a client-credentials connect must not need one.
    harness = await makeHarness({ authorizers: [], sandboxPort: await freePort(), clock: time.clock });
    const core = harness.core;
    const setup = (await core.listProviders()).find((p) => p.id === 'sandbox-machine');
    expect(setup).toMatchObject({ clientId: 'patchbay-machine', needs: 'client_secret', redirectUri: null });
    await core.setClientCredentials({
      providerId: 'sandbox-machine',
      clientId: 'patchbay-machine',
      clientSecret: SANDBOX_MACHINE_CLIENT_SECRET,
    });
    const view = await core.connect({ providerId: 'sandbox-machine' });
    expect(view).toMatchObject({ label: 'patchbay-machine', status: 'connected', canRefresh: true });
    const first = (await harness.vault.getConnectionSecret(view.id)) as OAuthSecret;
    expect(first.refreshToken).toBeUndefined();
    expect((await core.test(view.id)).ok).toBe(true);
    const me = await core.request({ connectionId: view.id, path: '/machine/me' });
    expect(me.json).toMatchObject({ client_id: 'patchbay-machine' });
    expect(me.refreshed).toBe(false);

    // An hour later (by Patchbay's clock) the token is due: the next use gets a new one.
    time.advance(3600 * 1000);
    const again = await core.request({ connectionId: view.id, path: '/machine/me' });
    expect(again.status).toBe(200);
    expect(again.refreshed).toBe(true);
    const second = (await harness.vault.getConnectionSecret(view.id)) as OAuthSecret;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect((await core.listConnections())[0]?.status).toBe('connected');

    // The scheduler's sweep renews it too (no refresh token needed).
    time.advance(3600 * 1000);
    await core.refreshDue(5 * 60_000);
    const third = (await harness.vault.getConnectionSecret(view.id)) as OAuthSecret;
    expect(third.accessToken).not.toBe(second.accessToken);

    await core.disconnect(view.id);
    expect(await keychainAccounts(harness.service)).toEqual(['client-secret:sandbox-machine']);
  });

  it('a wrong client secret is a plain error naming the client secret, and nothing is saved', async () => {
    harness = await makeHarness({ authorizers: [], sandboxPort: await freePort() });
    await harness.core.setClientCredentials({
      providerId: 'sandbox-machine',
      clientId: 'patchbay-machine',
      clientSecret: 'not-the-secret',
    });
    const error = await failure(harness.core.connect({ providerId: 'sandbox-machine' }));
    expect(error.code).toBe('invalid_client');
    expect(error.field).toBe('clientSecret');
    expect(error.message).toMatch(
      /did not accept the client ID and client secret.*The client secret \(or the client ID\) is wrong/,
    );
    expect(await harness.core.listConnections()).toEqual([]);
  });

  it('no saved client secret is refused before any request, naming the client secret', async () => {
    harness = await makeHarness({ authorizers: [], sandboxPort: await freePort() });
    const error = await failure(harness.core.connect({ providerId: 'sandbox-machine' }));
    expect(error).toMatchObject({ code: 'invalid_input', field: 'clientSecret' });
    expect(error.message).toMatch(/no client secret is saved/);
  });

  it('a failed renewal keeps the working token and says why', async () => {
    const time = movableClock();
    harness = await makeHarness({ authorizers: [], sandboxPort: await freePort(), clock: time.clock });
    const core = harness.core;
    await core.setClientCredentials({
      providerId: 'sandbox-machine',
      clientId: 'patchbay-machine',
      clientSecret: SANDBOX_MACHINE_CLIENT_SECRET,
    });
    const view = await core.connect({ providerId: 'sandbox-machine' });
    const before = (await harness.vault.getConnectionSecret(view.id)) as OAuthSecret;
    // The secret is changed (rotated at the provider, mistyped here): the forced renewal fails.
    await core.setClientCredentials({ providerId: 'sandbox-machine', clientId: 'patchbay-machine', clientSecret: 'x' });
    const error = await failure(core.refresh(view.id));
    expect(error).toMatchObject({ code: 'invalid_client', field: 'clientSecret' });
    expect(await harness.vault.getConnectionSecret(view.id)).toEqual(before);
    // The token Patchbay already had still works at the Sandbox.
    expect((await core.test(view.id)).ok).toBe(true);
  });

  it('--device is refused for a client-credentials provider', async () => {
    harness = await makeHarness({ authorizers: [], sandboxPort: await freePort() });
    const error = await failure(harness.core.connect({ providerId: 'sandbox-machine', device: true }));
    expect(error).toMatchObject({ code: 'invalid_input', field: 'device' });
  });
});

describe('Sandbox (device code)', () => {
  const shortSleep = (_ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      // The Sandbox does not ask for slow_down, so polling faster than 5 s only saves test time.
      const timer = setTimeout(resolve, 50);
      signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason as Error)), { once: true });
    });

  it('connects after the code is entered on the Sandbox pages, with a refresh token', async () => {
    harness = await makeHarness({ authorizers: [], sandboxPort: await freePort(), sleep: shortSleep });
    const events: FlowEvent[] = [];
    let page: Promise<string> | null = null;
    const view = await harness.core.connect(
      { providerId: 'sandbox-device' },
      {
        onEvent: (e) => {
          events.push(e);
          if (e.device)
            page = completeSandboxDevice(e.device.verificationUri, e.device.userCode, { accountName: 'Ada' });
        },
      },
    );
    expect(await page).toMatch(/Device connected/);
    expect(view).toMatchObject({ label: 'Ada', status: 'connected', canRefresh: true });
    const device = events.find((e) => e.device)?.device;
    expect(device?.userCode).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    expect(device?.verificationUri).toBe(`http://127.0.0.1:${new URL(device!.verificationUri).port}/device`);
    expect((await harness.core.test(view.id)).ok).toBe(true);
    await harness.core.refresh(view.id);
    expect((await harness.core.test(view.id)).ok).toBe(true);
  });

  it('a wrong code is shown again on the page, and Deny there is access_denied in Patchbay', async () => {
    harness = await makeHarness({ authorizers: [], sandboxPort: await freePort(), sleep: shortSleep });
    let wrong: Promise<string> | null = null;
    const error = await failure(
      harness.core.connect(
        { providerId: 'sandbox-device' },
        {
          onEvent: (e) => {
            if (!e.device) return;
            const { verificationUri, userCode } = e.device;
            wrong = completeSandboxDevice(verificationUri, userCode, { typedCode: 'BCDF-GHJK' });
            void wrong.then(() => completeSandboxDevice(verificationUri, userCode, { deny: 'confirm' }));
          },
        },
      ),
    );
    expect(await wrong).toMatch(/That code is not right/);
    expect(error.code).toBe('access_denied');
    expect(await harness.core.listConnections()).toEqual([]);
  });
});
