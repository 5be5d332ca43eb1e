/**
 * The metadata-to-definition mapping on its own: choices the metadata leaves open (token auth
 * method, scopes, PKCE, the account label, the grant) and the rules that only a remote issuer can
 * exercise (an endpoint on this computer announced by a provider elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { draftFromMetadata, idFromName, nameFromIssuer } from '../../../main/core/providers/discovery-map';
import type { PatchbayError } from '../../../main/core/model/errors';

const issuer = new URL('https://id.acme.example/tenant-a');
const base = (extra: Record<string, unknown> = {}) => ({
  issuer: issuer.href,
  authorization_endpoint: 'https://id.acme.example/tenant-a/authorize',
  token_endpoint: 'https://api.acme.example/oauth/token',
  ...extra,
});
const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as PatchbayError;
  }
  return null;
};

describe('draftFromMetadata', () => {
  it('refuses a remote issuer pointing its token endpoint at this computer', () => {
    const error = thrown(() => draftFromMetadata(base({ token_endpoint: 'http://127.0.0.1:8080/token' }), issuer, {}));
    expect(error?.code).toBe('provider_error');
    expect(error?.message).toContain('token_endpoint points at this computer (127.0.0.1:8080)');
    const https = thrown(() => draftFromMetadata(base({ token_endpoint: 'https://localhost/token' }), issuer, {}));
    expect(https?.message).toContain('points at this computer');
  });

  it('leaves out an optional endpoint on this computer, with a note', () => {
    const { draft, notes } = draftFromMetadata(base({ userinfo_endpoint: 'http://[::1]:9/me' }), issuer, {});
    expect(draft.testUrl).toBeUndefined();
    expect(notes.join(' ')).toMatch(/userinfo_endpoint (is not an https|points at this computer)/);
  });

  it('picks the token auth method: basic, then post, then none; basic when the member is absent', () => {
    const pick = (methods: unknown) =>
      draftFromMetadata(base({ token_endpoint_auth_methods_supported: methods }), issuer, {});
    expect(pick(['private_key_jwt', 'client_secret_post', 'client_secret_basic']).draft.tokenAuthMethod).toBe(
      'client_secret_basic',
    );
    expect(pick(['client_secret_post']).draft.tokenAuthMethod).toBe('client_secret_post');
    expect(pick(['none']).draft.tokenAuthMethod).toBe('none');
    expect(pick(undefined).draft.tokenAuthMethod).toBe('client_secret_basic');
    const jwtOnly = pick(['private_key_jwt']);
    expect(jwtOnly.draft.tokenAuthMethod).toBeUndefined();
    expect(jwtOnly.notes.join(' ')).toContain('private_key_jwt');
    expect(pick(['client_secret_post', 'none']).notes.join(' ')).toContain('change it to "none"');
  });

  it('always uses PKCE S256 and says when the server does not advertise it', () => {
    const silent = draftFromMetadata(base(), issuer, {});
    expect(silent.draft).toMatchObject({ pkce: true, pkceMethodName: 'S256' });
    expect(silent.notes.join(' ')).toContain('does not say whether it supports PKCE');
    const plain = draftFromMetadata(base({ code_challenge_methods_supported: ['plain'] }), issuer, {});
    expect(plain.draft).toMatchObject({ pkce: true, pkceMethodName: 'S256' });
    expect(plain.notes.join(' ')).toContain('does not advertise PKCE with S256');
    const s256 = draftFromMetadata(base({ code_challenge_methods_supported: ['plain', 'S256'] }), issuer, {});
    expect(s256.notes.join(' ')).not.toContain('PKCE');
  });

  it('sets the issuer only where the server promises iss on the sign-in return (RFC 9207)', () => {
    expect(draftFromMetadata(base(), issuer, {}).draft.issuer).toBeUndefined();
    const promised = draftFromMetadata(base({ authorization_response_iss_parameter_supported: true }), issuer, {});
    expect(promised.draft.issuer).toBe(issuer.href);
  });

  it('names the account from userinfo with the claim the chosen scopes bring', () => {
    const label = (scopes: string[]) =>
      draftFromMetadata(
        base({ userinfo_endpoint: 'https://id.acme.example/userinfo', scopes_supported: scopes }),
        issuer,
        {},
      ).draft.labelPath;
    expect(label(['openid', 'profile', 'email'])).toBe('name');
    expect(label(['openid', 'email'])).toBe('email');
    expect(label(['openid'])).toBe('sub');
  });

  it('chooses a browserless grant when there is no authorization endpoint', () => {
    const device = draftFromMetadata(
      base({ authorization_endpoint: undefined, device_authorization_endpoint: 'https://id.acme.example/device' }),
      issuer,
      {},
    );
    expect(device.draft).toMatchObject({
      grant: 'device_code',
      deviceAuthorizationUrl: 'https://id.acme.example/device',
    });
    const machine = draftFromMetadata(base({ authorization_endpoint: undefined }), issuer, {});
    expect(machine.draft.grant).toBe('client_credentials');
  });

  it('makes a recognisable name and a valid ID from the issuer', () => {
    expect(nameFromIssuer(issuer)).toBe('id.acme.example/tenant-a');
    expect(idFromName('id.acme.example/tenant-a')).toBe('id-acme-example-tenant-a');
    expect(idFromName('---')).toBe('provider');
    expect(idFromName('x'.repeat(100))).toHaveLength(63);
  });
});
