/**
 * Discovery against real loopback servers and the real Sandbox: the RFC 8414 address (with path
 * insertion) is tried before the OpenID one; a document naming another issuer is refused without
 * trying the other address; neither address answering says both; an http:// issuer off this
 * computer is refused before any request; a hostile document is refused or cleaned; and a
 * discovered Sandbox is saved and connected for real (keytar on test/with-keyring.sh).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import type { PatchbayError } from '../../main/core/model/errors';
import { ensureSandbox, stopEmbeddedSandboxes } from '../../main/sandbox/index';
import { resolveConfig } from '../../main/core/model/config';
import { freePort } from '../helpers/ports';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { makeHarness, type Harness } from './providers/harness';
import { metadataFor, startMetadataServer, type MetadataServer } from './providers/metadata-server';

let harness: Harness | null = null;
let server: MetadataServer | null = null;

afterEach(async () => {
  await harness?.cleanup();
  await server?.close();
  await stopEmbeddedSandboxes();
  harness = null;
  server = null;
});

async function setup(): Promise<{ h: Harness; s: MetadataServer; requests: string[] }> {
  const requests: string[] = [];
  const counting: typeof fetch = (input, init) => {
    requests.push(String(input));
    return fetch(input, init);
  };
  harness = await makeHarness({ fetch: counting });
  server = await startMetadataServer();
  return { h: harness, s: server, requests };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as PatchbayError,
  );

describe('where discovery looks', () => {
  it('reads RFC 8414 metadata at the path-inserted address first, through the core’s fetch', async () => {
    const { h, s, requests } = await setup();
    const issuer = `${s.origin}/tenant-a`;
    s.serve('/.well-known/oauth-authorization-server/tenant-a', { json: metadataFor(issuer) });
    const found = await h.core.discoverProvider(issuer, { id: 'acme', name: 'Acme CRM' });
    expect(s.log).toEqual(['/.well-known/oauth-authorization-server/tenant-a']);
    expect(requests).toEqual([`${s.origin}/.well-known/oauth-authorization-server/tenant-a`]);
    expect(found.metadataUrl).toBe(`${s.origin}/.well-known/oauth-authorization-server/tenant-a`);
    expect(found.definition).toMatchObject({
      id: 'acme',
      name: 'Acme CRM',
      auth: 'oauth2',
      authorizationUrl: `${issuer}/authorize`,
      tokenUrl: `${issuer}/token`,
      revocationUrl: `${issuer}/revoke`,
      revocationStyle: 'rfc7009',
      issuer,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      pkce: true,
      pkceMethodName: 'S256',
      tokenAuthMethod: 'client_secret_post',
      testUrl: `${issuer}/userinfo`,
      labelPath: 'name',
    });
    expect(found.notes.join(' ')).toContain('crm.read');
    // Nothing was saved.
    expect((await h.core.listProviders()).some((p) => p.id === 'acme')).toBe(false);
  });

  it('falls back to the OpenID address, appended to the issuer’s path', async () => {
    const { h, s } = await setup();
    const issuer = `${s.origin}/realms/main`;
    s.serve('/realms/main/.well-known/openid-configuration', { json: metadataFor(issuer) });
    const found = await h.core.discoverProvider(issuer);
    expect(s.log).toEqual([
      '/.well-known/oauth-authorization-server/realms/main',
      '/realms/main/.well-known/openid-configuration',
    ]);
    expect(found.metadataUrl).toBe(`${issuer}/.well-known/openid-configuration`);
    // Default name and ID come from the issuer.
    expect(found.definition.name).toBe(`${new URL(s.origin).host}/realms/main`);
    expect(found.definition.id).toMatch(/^127-0-0-1-\d+-realms-main$/);
  });

  it('names both addresses when neither has metadata', async () => {
    const { h, s } = await setup();
    s.serve('/.well-known/openid-configuration', { raw: '<html>login</html>', contentType: 'text/html' });
    const error = await failure(h.core.discoverProvider(s.origin));
    expect(error?.code).toBe('not_found');
    expect(error?.message).toContain(`${s.origin}/.well-known/oauth-authorization-server (HTTP 404)`);
    expect(error?.message).toContain(`${s.origin}/.well-known/openid-configuration (an answer that is not JSON)`);
  });

  it('refuses a document naming another issuer (mix-up) without trying the other address', async () => {
    const { h, s } = await setup();
    const issuer = `${s.origin}/tenant-a`;
    s.serve('/.well-known/oauth-authorization-server/tenant-a', { json: metadataFor(`${s.origin}/tenant-b`) });
    s.serve('/tenant-a/.well-known/openid-configuration', { json: metadataFor(issuer) });
    const error = await failure(h.core.discoverProvider(issuer));
    expect(error?.code).toBe('provider_error');
    expect(error?.field).toBe('issuer');
    expect(error?.message).toContain(`"${s.origin}/tenant-b"`);
    expect(error?.message).toContain(`"${issuer}"`);
    expect(error?.message).toContain('mix-up');
    expect(s.log).toEqual(['/.well-known/oauth-authorization-server/tenant-a']);
  });

  it('refuses http:// off this computer before sending anything, and says so plainly', async () => {
    const { h, requests } = await setup();
    const error = await failure(h.core.discoverProvider('http://login.acme.example'));
    expect(error?.code).toBe('invalid_input');
    expect(error?.field).toBe('issuer');
    expect(error?.message).toContain('must start with https://');
    expect(error?.message).toContain('https://login.acme.example');
    const withQuery = await failure(h.core.discoverProvider('https://login.acme.example/?tenant=a'));
    expect(withQuery?.message).toContain('no user name, "?…" or "#…" part');
    expect(requests).toEqual([]);
  });

  it('says the provider could not be reached when nothing listens', async () => {
    const { h } = await setup();
    const port = await freePort();
    const error = await failure(h.core.discoverProvider(`http://127.0.0.1:${port}`));
    expect(error?.code).toBe('network');
    expect(error?.message).toContain(`couldn't reach 127.0.0.1:${port}`);
  });
});

describe('a hostile metadata document', () => {
  it('is refused when it is huge', async () => {
    const { h, s } = await setup();
    s.serve('/.well-known/oauth-authorization-server', {
      raw: JSON.stringify({ ...metadataFor(s.origin), pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    const error = await failure(h.core.discoverProvider(s.origin));
    expect(error?.code).toBe('provider_error');
    expect(error?.message).toContain('too large');
  });

  it('cannot put javascript: or secret-carrying addresses, control characters or extra fields in the definition', async () => {
    const { h, s } = await setup();
    const scopes = ['openid', '\u001b[2Jprofile', 'em\nail', ...Array.from({ length: 5000 }, (_, i) => `s${i}`)];
    s.serve('/.well-known/oauth-authorization-server', {
      json: {
        ...metadataFor(s.origin),
        scopes_supported: scopes,
        revocation_endpoint: 'javascript:alert(1)',
        userinfo_endpoint: `${s.origin}/userinfo?access_token=leaked-token-123`,
        service_documentation: `${s.origin}/docs#\u0007`,
        client_secret: 'metadata-secret-456',
        extraAuthorizeParams: { prompt: 'none' },
        name: '\u001b]0;owned\u0007Evil',
      },
    });
    const found = await h.core.discoverProvider(s.origin);
    const text = JSON.stringify(found);
    expect(text).not.toMatch(/javascript:|leaked-token-123|metadata-secret-456|owned|[\u0000-\u001f]/);
    expect(found.definition.scopes).toEqual(['openid']);
    expect(found.definition.revocationUrl).toBeUndefined();
    expect(found.definition.testUrl).toBeUndefined();
    expect(found.definition.docsUrl).toBeUndefined();
    expect(found.definition.extraAuthorizeParams).toBeUndefined();
    expect(found.notes.join(' ')).toContain('revocation_endpoint is not an https:// address');
    expect(found.notes.join(' ')).toContain('userinfo_endpoint carries the parameter "access_token"');
    // The bound: at most 1000 scopes are even looked at (two of them unusable, one chosen).
    expect(found.notes.join(' ')).toContain('997 other scopes');
  });

  it('is refused as a whole when the sign-in or token address is unusable', async () => {
    const { h, s } = await setup();
    s.serve('/.well-known/oauth-authorization-server', {
      json: { ...metadataFor(s.origin), authorization_endpoint: 'javascript:alert(document.cookie)' },
    });
    const error = await failure(h.core.discoverProvider(s.origin));
    expect(error?.code).toBe('provider_error');
    expect(error?.message).toContain('authorization_endpoint is not an https:// address');
    s.serve('/.well-known/oauth-authorization-server', {
      json: { ...metadataFor(s.origin), token_endpoint: `${s.origin}/token?client_secret=x` },
    });
    const secret = await failure(h.core.discoverProvider(s.origin));
    expect(secret?.message).toContain('token_endpoint carries the parameter "client_secret"');
    expect(secret?.message).not.toContain('client_secret=x');
  });

  it('keeps control characters of a mismatched issuer out of the message', async () => {
    const { h, s } = await setup();
    s.serve('/.well-known/oauth-authorization-server', {
      json: metadataFor(`${s.origin}/\u001b[2J\u001b]0;x\u0007evil`),
    });
    const error = await failure(h.core.discoverProvider(s.origin));
    expect(error?.message).toContain('mix-up');
    expect(error?.message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('the Sandbox', () => {
  it('publishes correct metadata: its issuer, its routes, S256', async () => {
    const port = await freePort();
    const { issuer } = await ensureSandbox(resolveConfig({ PATCHBAY_SANDBOX_PORT: String(port) }));
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      revocation_endpoint: `${issuer}/token/revocation`,
      userinfo_endpoint: `${issuer}/me`,
      device_authorization_endpoint: `${issuer}/device/auth`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    });
    expect(doc.token_endpoint_auth_methods_supported).toContain('none');
  });

  it('is discovered, saved, set up and connected for real', async () => {
    const port = await freePort();
    harness = await makeHarness({
      sandboxPort: port,
      authorizers: [
        createLoopbackAuthorizer({
          openUrl: async (url) => {
            const callback = await completeSandboxSignIn(url, { accountName: 'Ada Lovelace' });
            await (await fetch(callback)).arrayBuffer();
          },
        }),
      ],
    });
    const { issuer } = await ensureSandbox(resolveConfig({ PATCHBAY_SANDBOX_PORT: String(port) }));
    const found = await harness.core.discoverProvider(issuer, { id: 'my-sandbox', name: 'My Sandbox' });
    expect(found.definition).toMatchObject({ issuer, deviceAuthorizationUrl: `${issuer}/device/auth` });
    expect(found.notes.join(' ')).toContain('change it to "none"');
    // The person follows the note: the Sandbox's app is public (no client secret).
    await harness.core.saveProvider({ ...found.definition, tokenAuthMethod: 'none' });
    await harness.core.setClientCredentials({ providerId: 'my-sandbox', clientId: 'patchbay-desktop' });
    const view = await harness.core.connect({ providerId: 'my-sandbox' });
    expect(view.status).toBe('connected');
    expect(view.label).toBe('Ada Lovelace');
    expect((await harness.core.test(view.id)).ok).toBe(true);
  });
});
