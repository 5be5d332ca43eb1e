/**
 * LiveChat's real shape: root authorize URL, lower-case "s256", comma-joined scopes, form body
 * with client_secret_post, string expires_in, "dal:" tokens, the /ooops error page instead of a
 * redirect, DELETE-style revocation, and a fixed loopback port.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../preload/contract';
import type { PatchbayError } from '../../main/core/model/errors';
import type { ConnectionSecret } from '../../main/core/model/types';
import { embeddedLikeAuthorizer } from './providers/browser';
import { makeHarness, type Harness } from './providers/harness';
import type { OAuthServer } from './providers/oauth-server';
import { catalogDefinition, startLiveChatLikeServer } from './providers/provider-servers';

let harness: Harness | null = null;
let server: OAuthServer | null = null;
const blockers: net.Server[] = [];

afterEach(async () => {
  await harness?.cleanup();
  await server?.close();
  for (const b of blockers.splice(0)) await new Promise((r) => b.close(r));
  harness = null;
  server = null;
});

async function setup(options: Parameters<typeof startLiveChatLikeServer>[0] = {}, loopbackPort?: number) {
  server = await startLiveChatLikeServer(options);
  harness = await makeHarness();
  const def = catalogDefinition('livechat', server.base, { scopes: ['agents--my:ro', 'chats--all:ro'] });
  if (loopbackPort === undefined) delete def.loopbackPort;
  else def.loopbackPort = loopbackPort;
  await harness.core.saveProvider(def);
  await harness.core.setClientCredentials({
    providerId: 'livechat-local',
    clientId: 'livechat-client-id',
    clientSecret: 'livechat-secret-0a9b',
  });
  return { server, harness };
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return port;
}

describe('LiveChat-like provider', () => {
  it('connects with its documented quirks and labels the connection from /v2/info', async () => {
    const { server, harness } = await setup();
    const events: FlowEvent[] = [];
    const view = await harness.core.connect({ providerId: 'livechat-local' }, { onEvent: (e) => events.push(e) });
    const authorize = new URL(events.find((e) => e.stage === 'waiting_for_user')!.authorizeUrl!);
    expect(authorize.pathname).toBe('/');
    expect(authorize.searchParams.get('scope')).toBe('agents--my:ro,chats--all:ro');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('s256');
    expect(server.lastTokenRequest?.contentType).toContain('application/x-www-form-urlencoded');
    expect(server.lastTokenRequest?.body.client_secret).toBe('livechat-secret-0a9b');
    expect(view.scopes).toEqual(['agents--my:ro', 'chats--all:ro']);
    expect(view.label).toBe('agent@livechat.test');
    expect(Date.parse(view.expiresAt!) - Date.now()).toBeGreaterThan(28_000_000);
    const secret = (await harness.vault.getConnectionSecret(view.id)) as Extract<ConnectionSecret, { kind: 'oauth2' }>;
    expect(secret.accessToken.startsWith('dal:')).toBe(true);
    expect((await harness.core.test(view.id)).ok).toBe(true);
  });

  it('maps the /ooops?oauth_exception=access_denied page to access_denied without a token request', async () => {
    server = await startLiveChatLikeServer({ authorizeMode: 'deny_on_error_page' });
    harness = await makeHarness({ authorizers: [embeddedLikeAuthorizer()] });
    await harness.core.saveProvider(catalogDefinition('livechat', server.base, { scopes: ['agents--my:ro'] }));
    await harness.core.setClientCredentials({
      providerId: 'livechat-local',
      clientId: 'livechat-client-id',
      clientSecret: 'livechat-secret-0a9b',
    });
    const error = await harness.core.connect({ providerId: 'livechat-local' }).then(
      () => null,
      (e: unknown) => e as PatchbayError,
    );
    expect(error?.code).toBe('access_denied');
    expect(server.counts.token).toBe(0);
  });

  it('revokes with DELETE /v2/token and the access token as Bearer, then forgets the connection', async () => {
    const { server, harness } = await setup();
    const view = await harness.core.connect({ providerId: 'livechat-local' });
    const secret = (await harness.vault.getConnectionSecret(view.id)) as Extract<ConnectionSecret, { kind: 'oauth2' }>;
    await harness.core.disconnect(view.id);
    expect(server.revoked).toEqual([{ token: secret.accessToken, hint: null }]);
    expect(await harness.vault.getConnectionSecret(view.id)).toBeNull();
  });

  it('uses the fixed loopback port when the provider matches redirect URIs exactly', async () => {
    const port = await freePort();
    const { harness } = await setup({}, port);
    const events: FlowEvent[] = [];
    await harness.core.connect({ providerId: 'livechat-local' }, { onEvent: (e) => events.push(e) });
    const authorize = new URL(events.find((e) => e.stage === 'waiting_for_user')!.authorizeUrl!);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
    const provider = (await harness.core.listProviders()).find((p) => p.id === 'livechat-local');
    expect(provider?.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
  });

  it('says which port is taken when the fixed loopback port is in use', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    blockers.push(blocker);
    const { server, harness } = await setup({}, port);
    const error = await harness.core.connect({ providerId: 'livechat-local' }).then(
      () => null,
      (e: unknown) => e as PatchbayError,
    );
    expect(error?.code).toBe('busy');
    expect(error?.message).toContain(String(port));
    expect(server.counts.authorize).toBe(0);
  });
});
