/**
 * Sandbox tokens: refresh rotation (the old refresh token is refused after use), revocation,
 * and short access-token lifetimes for tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxServer, startSandboxServer } from '../../main/sandbox/index';
import { CookieJar, completeSandboxSignIn } from '../helpers/sandbox-signin';
import { tempHome } from '../helpers/ports';
import { exchangeCode, refreshGrant, revokeToken, startAuthorization, userinfo } from '../helpers/sandbox-client';

let sandbox: SandboxServer;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const tmp = await tempHome();
  cleanup = tmp.cleanup;
  sandbox = await startSandboxServer({ home: tmp.home, port: 0, tokenTtlSeconds: 2 });
});
afterAll(async () => {
  await sandbox.close();
  await cleanup();
});

async function connect(jar?: CookieJar): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }> {
  const start = startAuthorization(sandbox.issuer);
  const callback = await completeSandboxSignIn(start.url, { jar });
  const tokens = await exchangeCode(sandbox.issuer, callback.searchParams.get('code') ?? '', start);
  expect(tokens.status).toBe(200);
  return {
    accessToken: String(tokens.body.access_token),
    refreshToken: String(tokens.body.refresh_token),
    expiresIn: Number(tokens.body.expires_in),
  };
}

describe('Sandbox refresh tokens', () => {
  it('rotates the refresh token on every use and refuses the old one', async () => {
    const first = await connect();
    const second = await refreshGrant(sandbox.issuer, first.refreshToken);
    expect(second.status).toBe(200);
    const rotated = String(second.body.refresh_token);
    expect(rotated).not.toBe(first.refreshToken);
    expect(second.body.access_token).not.toBe(first.accessToken);

    const third = await refreshGrant(sandbox.issuer, rotated);
    expect(third.status).toBe(200);

    const replay = await refreshGrant(sandbox.issuer, first.refreshToken);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
  });

  it('issues a refresh token even without offline_access', async () => {
    const start = startAuthorization(sandbox.issuer, { scope: 'openid profile' });
    const callback = await completeSandboxSignIn(start.url);
    const tokens = await exchangeCode(sandbox.issuer, callback.searchParams.get('code') ?? '', start);
    expect(typeof tokens.body.refresh_token).toBe('string');
  });
});

describe('Sandbox token lifetime', () => {
  it('uses the configured access-token lifetime, and the token stops working after it', async () => {
    const tokens = await connect();
    expect(tokens.expiresIn).toBe(2);
    expect((await userinfo(sandbox.issuer, tokens.accessToken)).status).toBe(200);
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await userinfo(sandbox.issuer, tokens.accessToken)).status;
    }
    expect(status).toBe(401);
    const refreshed = await refreshGrant(sandbox.issuer, tokens.refreshToken);
    expect(refreshed.status).toBe(200);
    expect((await userinfo(sandbox.issuer, String(refreshed.body.access_token))).status).toBe(200);
  });
});

describe('Sandbox revocation', () => {
  it('revoking the refresh token ends the grant: refresh and the access token both stop working', async () => {
    const tokens = await connect();
    const revoked = await revokeToken(sandbox.issuer, tokens.refreshToken, 'refresh_token');
    expect(revoked.status).toBe(200);
    const refresh = await refreshGrant(sandbox.issuer, tokens.refreshToken);
    expect(refresh.body.error).toBe('invalid_grant');
    expect((await userinfo(sandbox.issuer, tokens.accessToken)).status).toBe(401);
  });

  it('revoking the access token stops it, and (oidc-provider policy) the rest of its grant too', async () => {
    const tokens = await connect();
    expect((await userinfo(sandbox.issuer, tokens.accessToken)).status).toBe(200);
    expect((await revokeToken(sandbox.issuer, tokens.accessToken, 'access_token')).status).toBe(200);
    expect((await userinfo(sandbox.issuer, tokens.accessToken)).status).toBe(401);
    expect((await refreshGrant(sandbox.issuer, tokens.refreshToken)).body.error).toBe('invalid_grant');
  });

  it('revoking one connection leaves another made in the same browser session working', async () => {
    const browser = new CookieJar();
    const kept = await connect(browser);
    const gone = await connect(browser);
    expect((await revokeToken(sandbox.issuer, gone.refreshToken)).status).toBe(200);
    expect((await userinfo(sandbox.issuer, kept.accessToken)).status).toBe(200);
    expect((await refreshGrant(sandbox.issuer, kept.refreshToken)).status).toBe(200);
  });

  it('answers 200 for an unknown token, as RFC 7009 requires', async () => {
    expect((await revokeToken(sandbox.issuer, 'not-a-real-token')).status).toBe(200);
  });
});
