/**
 * API-key connections against Landbot-like (`Authorization: Token`) and WebinarGeek-like
 * (`Api-Token`) servers: tested before saving, a rejected key saves nothing, 429 not retried.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SimpleServer } from './providers/api-key-server';
import { startApiKeyServer } from './providers/api-key-server';
import { keychainAccounts, makeHarness, readAllFiles, type Harness } from './providers/harness';
import { catalogDefinition, startLandbotLikeServer, startWebinarGeekLikeServer } from './providers/provider-servers';
import { failure } from '../helpers/failure';

const KEY = 'lb-key-7c2e9f1a55';
let harness: Harness | null = null;
let server: SimpleServer | null = null;

afterEach(async () => {
  await harness?.cleanup();
  await server?.close();
  harness = null;
  server = null;
});

describe('API-key connections', () => {
  it('Landbot: sends Authorization: Token <key>, saves the key only in the keychain', async () => {
    server = await startLandbotLikeServer(KEY);
    harness = await makeHarness();
    await harness.core.saveProvider(catalogDefinition('landbot', server.base));
    const view = await harness.core.connect({ providerId: 'landbot-local', apiKey: ` ${KEY} ` });
    expect(view.status).toBe('connected');
    expect(view.auth).toBe('apiKey');
    expect(server.seen).toEqual([`Token ${KEY}`]);
    expect(await harness.vault.getConnectionSecret(view.id)).toEqual({ kind: 'apiKey', apiKey: KEY });
    for (const { text } of await readAllFiles(harness.home)) expect(text).not.toContain(KEY);
    const test = await harness.core.test(view.id);
    expect(test.ok).toBe(true);
    expect(test.httpStatus).toBe(200);
    await harness.core.disconnect(view.id);
    expect(await keychainAccounts(harness.service)).toEqual([]);
    expect(server.hits).toBe(2);
  });

  it('a rejected key saves nothing and says where to copy it again', async () => {
    server = await startLandbotLikeServer(KEY);
    harness = await makeHarness();
    await harness.core.saveProvider(catalogDefinition('landbot', server.base));
    const error = await failure(harness.core.connect({ providerId: 'landbot-local', apiKey: 'wrong-key-123' }));
    expect(error.code).toBe('invalid_client');
    expect(error.message).toBe(
      'Landbot (local) did not accept this API key. Copy it again from https://dev.landbot.io/guides/authentication and paste it here.',
    );
    expect(await harness.core.listConnections()).toEqual([]);
    expect(await keychainAccounts(harness.service)).toEqual([]);
    const trace = await harness.core.trace('provider:landbot-local');
    expect(trace.entries.some((e) => e.httpStatus === 401)).toBe(true);
    expect(JSON.stringify(trace)).not.toContain('wrong-key-123');
  });

  it('WebinarGeek: sends Api-Token: <key>', async () => {
    server = await startWebinarGeekLikeServer(KEY);
    harness = await makeHarness();
    await harness.core.saveProvider(catalogDefinition('webinargeek', server.base));
    const view = await harness.core.connect({ providerId: 'webinargeek-local', apiKey: KEY });
    expect(view.status).toBe('connected');
    expect(server.seen).toEqual([KEY]);
  });

  it('a key revoked later shows needs_reconnect after a test', async () => {
    server = await startLandbotLikeServer(KEY);
    harness = await makeHarness();
    await harness.core.saveProvider(catalogDefinition('landbot', server.base));
    const view = await harness.core.connect({ providerId: 'landbot-local', apiKey: KEY });
    // The provider revokes the key: from now on it accepts only another one.
    server.acceptOnly!('another-key-000');
    const result = await harness.core.test(view.id);
    expect(result.ok).toBe(false);
    expect(result.httpStatus).toBe(401);
    expect(result.error?.code).toBe('invalid_client');
    expect(result.connection.status).toBe('needs_reconnect');
    expect(await harness.vault.getConnectionSecret(view.id)).toEqual({ kind: 'apiKey', apiKey: KEY });
  });

  it('a 429 while testing a key reports when to retry, is not retried, and saves nothing', async () => {
    server = await startApiKeyServer({
      header: 'authorization',
      scheme: 'Token ',
      key: KEY,
      path: '/v1/channels/',
      failure: { kind: 'rate_limited', retryAfter: '30' },
    });
    harness = await makeHarness();
    await harness.core.saveProvider(catalogDefinition('landbot', server.base));
    const error = await failure(harness.core.connect({ providerId: 'landbot-local', apiKey: KEY }));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.message).toBe('Landbot (local) says Patchbay is sending too many requests. Try again in 30 seconds.');
    expect(server.hits).toBe(1);
    expect(await keychainAccounts(harness.service)).toEqual([]);
  });

  it('an empty key is invalid_input on apiKey and makes no request', async () => {
    server = await startLandbotLikeServer(KEY);
    harness = await makeHarness();
    await harness.core.saveProvider(catalogDefinition('landbot', server.base));
    const error = await failure(harness.core.connect({ providerId: 'landbot-local', apiKey: '  ' }));
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe('apiKey');
    expect(server.hits).toBe(0);
  });
});
