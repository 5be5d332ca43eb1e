/**
 * The Sandbox as an OAuth 2.0 server: discovery, its pages, the code + PKCE flow through the
 * real sign-in and consent pages, PKCE enforcement, redirect URI rules and Deny.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxServer, startSandboxServer } from '../../main/sandbox/index';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { tempHome } from '../helpers/ports';
import { exchangeCode, startAuthorization, userinfo } from '../helpers/sandbox-client';

let sandbox: SandboxServer;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const tmp = await tempHome();
  cleanup = tmp.cleanup;
  sandbox = await startSandboxServer({ home: tmp.home, port: 0 });
});
afterAll(async () => {
  await sandbox.close();
  await cleanup();
});

describe('Sandbox discovery', () => {
  it('advertises its endpoints, S256 only, and the iss response parameter', async () => {
    const response = await fetch(`${sandbox.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const meta = (await response.json()) as Record<string, unknown>;
    expect(meta.issuer).toBe(sandbox.issuer);
    expect(sandbox.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(meta.authorization_endpoint).toBe(`${sandbox.issuer}/auth`);
    expect(meta.token_endpoint).toBe(`${sandbox.issuer}/token`);
    expect(meta.revocation_endpoint).toBe(`${sandbox.issuer}/token/revocation`);
    expect(meta.userinfo_endpoint).toBe(`${sandbox.issuer}/me`);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']));
  });
});

describe('Sandbox pages', () => {
  it('shows an accessible sign-in page with a strict CSP and no scripts', async () => {
    const start = startAuthorization(sandbox.issuer);
    const first = await fetch(start.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const location = new URL(first.headers.get('location') ?? '', sandbox.issuer);
    expect(location.pathname).toMatch(/^\/interaction\//);
    const cookies = first.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = await fetch(location, { headers: { Cookie: cookies } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).toContain('<title>Sign in to the Patchbay Sandbox</title>');
    expect(html).toMatch(/<label for="account">Account name<\/label>/);
    expect(html).toMatch(/<input id="account" name="account"[^>]*value="Acme"/);
    expect(html).toMatch(/<button[^>]*>Sign in<\/button>/);
    expect(html).not.toMatch(/<script/i);
  });

  it('shows an error page, not a redirect, for an unregistered redirect URI', async () => {
    const start = startAuthorization(sandbox.issuer, { redirectUri: 'https://attacker.example/callback' });
    const response = await fetch(start.url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('The Sandbox could not continue');
  });
});

describe('Sandbox authorization code flow', () => {
  it('signs in, consents and issues tokens for a loopback redirect on any port, with iss', async () => {
    for (const port of [51234, 40001]) {
      const start = startAuthorization(sandbox.issuer, { redirectUri: `http://127.0.0.1:${port}/callback` });
      const callback = await completeSandboxSignIn(start.url);
      expect(`${callback.origin}${callback.pathname}`).toBe(`http://127.0.0.1:${port}/callback`);
      expect(callback.searchParams.get('state')).toBe(start.state);
      expect(callback.searchParams.get('iss')).toBe(sandbox.issuer);
      const code = callback.searchParams.get('code') ?? '';
      expect(code).not.toBe('');

      const tokens = await exchangeCode(sandbox.issuer, code, start);
      expect(tokens.status).toBe(200);
      expect(tokens.body.token_type).toBe('Bearer');
      expect(typeof tokens.body.refresh_token).toBe('string');
      expect(tokens.body.expires_in).toBe(3600);

      const me = await userinfo(sandbox.issuer, String(tokens.body.access_token));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ name: 'Acme', email: 'acme@sandbox.patchbay.test' });
      expect(typeof me.body.sub).toBe('string');
    }
  });

  it('uses the account name typed on the sign-in page', async () => {
    const start = startAuthorization(sandbox.issuer);
    const callback = await completeSandboxSignIn(start.url, { accountName: 'Blue Sky' });
    const tokens = await exchangeCode(sandbox.issuer, callback.searchParams.get('code') ?? '', start);
    const me = await userinfo(sandbox.issuer, String(tokens.body.access_token));
    expect(me.body).toMatchObject({ name: 'Blue Sky', email: 'blue.sky@sandbox.patchbay.test' });
  });

  it('accepts the custom-scheme redirect used by the embedded auth window', async () => {
    const start = startAuthorization(sandbox.issuer, { redirectUri: 'patchbay://oauth/callback' });
    const callback = await completeSandboxSignIn(start.url);
    expect(callback.protocol).toBe('patchbay:');
    const tokens = await exchangeCode(sandbox.issuer, callback.searchParams.get('code') ?? '', start);
    expect(tokens.status).toBe(200);
  });

  it('requires PKCE: no challenge is refused, plain is refused, a wrong verifier is refused', async () => {
    const none = startAuthorization(sandbox.issuer, { pkce: false });
    const noneCallback = await completeSandboxSignIn(none.url);
    expect(noneCallback.searchParams.get('error')).toBe('invalid_request');
    expect(noneCallback.searchParams.get('code')).toBeNull();

    const plain = startAuthorization(sandbox.issuer, { challengeMethod: 'plain' });
    const plainCallback = await completeSandboxSignIn(plain.url);
    expect(plainCallback.searchParams.get('error')).toBe('invalid_request');

    const start = startAuthorization(sandbox.issuer);
    const callback = await completeSandboxSignIn(start.url);
    const code = callback.searchParams.get('code') ?? '';
    const wrong = await exchangeCode(sandbox.issuer, code, start, 'x'.repeat(43));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    const missing = await exchangeCode(sandbox.issuer, code, start, '');
    expect(missing.status).toBe(400);
  });

  it('refuses a code used twice', async () => {
    const start = startAuthorization(sandbox.issuer);
    const callback = await completeSandboxSignIn(start.url);
    const code = callback.searchParams.get('code') ?? '';
    expect((await exchangeCode(sandbox.issuer, code, start)).status).toBe(200);
    const again = await exchangeCode(sandbox.issuer, code, start);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('ends the flow with access_denied when the person presses Deny', async () => {
    const start = startAuthorization(sandbox.issuer);
    const callback = await completeSandboxSignIn(start.url, { deny: true });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(start.state);
    expect(callback.searchParams.get('iss')).toBe(sandbox.issuer);
    expect(callback.searchParams.get('code')).toBeNull();
  });
});
