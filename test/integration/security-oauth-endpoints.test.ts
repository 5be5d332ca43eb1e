/**
 * Where the core may send requests and whose answers it accepts: HTTPS for every non-loopback
 * provider URL (the schema names the field; the engine below it refuses plain http too, checked
 * with a server on 127.0.0.2 that must receive nothing), and the RFC 9207 mix-up defence (a
 * callback with another issuer's `iss`, or none when an issuer is configured, never reaches the
 * token endpoint). Real keyring: run in test/with-keyring.sh.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PatchbayError } from '../../main/core/model/errors';
import { buildAuthorizationRequest, exchangeCode } from '../../main/core/oauth/authorization-code';
import type { ProviderDefinition } from '../../preload/contract';
import { SECRET, cleanupAll, definition, failure, nothingSaved, onCleanup, setup } from '../security/oauth-harness';
import { makeHarness } from './providers/harness';
import { startOAuthServer } from './providers/oauth-server';

afterEach(cleanupAll);

describe('HTTPS for every non-loopback provider URL (RFC 9700 §2.6, RFC 8252 §8.3)', () => {
  const fields = ['authorizationUrl', 'tokenUrl', 'revocationUrl', 'testUrl', 'issuer', 'errorPageUrl'] as const;
  it.each(fields)('http:// on another host in %s is refused, naming the field', async (field) => {
    const harness = await makeHarness();
    onCleanup(() => harness.cleanup());
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
    const server = http.createServer((_req, res) => {
      received += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"x","token_type":"bearer"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', () => resolve()));
    onCleanup(() => new Promise((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
    const def: ProviderDefinition = { ...definition(base), tokenAuthMethod: 'none' };
    const request = await buildAuthorizationRequest(def, 'c', 'http://127.0.0.1:5/callback');
    const params = new URLSearchParams({ code: 'abc' });
    const trace = { add: () => undefined };
    const ctx = { fetch, clock: { now: () => Date.now() }, timeoutMs: 5_000, trace, providerName: 'Acme' };
    await expect(exchangeCode(ctx, def, { clientId: 'c', clientSecret: null }, params, request)).rejects.toBeInstanceOf(
      PatchbayError,
    );
    expect(received).toBe(0);
  });
});

describe('mix-up defence with iss (RFC 9207)', () => {
  it("a callback carrying another provider's issuer is refused before any token request", async () => {
    const other = await startOAuthServer({ clientId: 'acme-client', clientSecret: SECRET, iss: true });
    onCleanup(() => other.close());
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
