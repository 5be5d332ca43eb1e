/**
 * Using a connection through the engine, on the real keyring: labels without configuration (a
 * real OpenID Connect server's "who am I" answer without labelPath; common fields one level down),
 * and request failures that end with the usual codes
 * (timeout) after a refusal that reads no keychain entry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import type { PatchbayError } from '../../main/core/model/errors';
import { resolveConfig } from '../../main/core/model/config';
import { stopEmbeddedSandboxes } from '../../main/sandbox/index';
import { startSandbox } from '../../main/sandbox/starter';
import { freePort } from '../helpers/ports';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { makeHarness, type Harness } from './providers/harness';
import { startApiKeyServer } from './providers/api-key-server';
import { startResourceServer } from './providers/resource-server';

let harness: Harness | null = null;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await harness?.cleanup();
  await stopEmbeddedSandboxes();
  harness = null;
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as PatchbayError,
  );

describe('labels without configuration', () => {
  it('an OpenID Connect provider without labelPath is named from its "who am I" answer', async () => {
    const sandboxPort = await freePort();
    const browser = createLoopbackAuthorizer({
      openUrl: async (url) => {
        const callback = await completeSandboxSignIn(url, { accountName: 'Grace Hopper' });
        await (await fetch(callback)).arrayBuffer();
      },
    });
    harness = await makeHarness({ authorizers: [browser], sandboxPort });
    // Only the built-in "sandbox" provider starts it on demand; this custom one points at it.
    await startSandbox(resolveConfig({ ...harness.env, PATCHBAY_SANDBOX_PORT: String(sandboxPort) }));
    const sandbox = (await harness.core.listProviders()).find((p) => p.id === 'sandbox')!.definition;
    // The Sandbox's ID token carries only "sub" (oidc-provider puts profile claims in the userinfo
    // answer when an access token is issued), so its /me answer ({sub, name, email}) names it.
    const { labelPath: _label, ...plain } = sandbox;
    await harness.core.saveProvider({ ...plain, id: 'oidc-local', name: 'OIDC Local' });
    await harness.core.setClientCredentials({ providerId: 'oidc-local', clientId: 'patchbay-desktop' });
    const view = await harness.core.connect({ providerId: 'oidc-local' });
    expect(view.label).toBe('Grace Hopper');
  });

  it('an API-key provider is named from common identity fields one level down', async () => {
    const api = await startResourceServer({ credentialHeader: 'x-key', accepts: (v) => v === 'label-key-123456' });
    closers.push(() => api.close());
    harness = await makeHarness();
    await harness.core.saveProvider({
      id: 'nested',
      name: 'Nested',
      auth: 'apiKey',
      apiKeyHeader: 'X-Key',
      testUrl: `${api.base}/v1/me`,
    });
    const view = await harness.core.connect({ providerId: 'nested', apiKey: 'label-key-123456' });
    expect(view.label).toBe('ada@example.test');
  });
});

describe('request failures', () => {
  it('a foreign origin is refused without reading the keychain; a hanging API ends as timeout in the trace', async () => {
    const api = await startResourceServer({ credentialHeader: 'x-key', accepts: (v) => v === 'timeout-key-123456' });
    const foreign = await startApiKeyServer({ header: 'x-key', scheme: '', key: 'x', path: '/' });
    closers.push(
      () => api.close(),
      () => foreign.close(),
    );
    harness = await makeHarness({ httpTimeoutMs: 400 });
    await harness.core.saveProvider({
      id: 'slow',
      name: 'Slow',
      auth: 'apiKey',
      apiKeyHeader: 'X-Key',
      testUrl: `${api.base}/v1/me`,
    });
    const { id } = await harness.core.connect({ providerId: 'slow', apiKey: 'timeout-key-123456' });
    let reads = 0;
    const read = harness.vault.getConnectionSecret.bind(harness.vault);
    harness.vault.getConnectionSecret = async (cid) => {
      reads += 1;
      return read(cid);
    };
    const refused = await failure(harness.core.request({ connectionId: id, path: `${foreign.base}/` }));
    expect(refused).toMatchObject({ code: 'invalid_input', field: 'path' });
    expect(reads).toBe(0);
    expect(foreign.hits).toBe(0);
    const timedOut = await failure(harness.core.request({ connectionId: id, path: '/v1/hang' }));
    expect(timedOut?.code).toBe('timeout');
    const entry = (await harness.core.trace(id)).entries.filter((e) => e.step === 'api_request').at(-1);
    expect(entry).toMatchObject({ ok: false, method: 'GET', url: `${api.base}/v1/hang` });
  });
});
