/**
 * The origin rule and the API base: where a connection's credentials may be sent.
 *
 * Written as an attacker: every way of naming another host in a "path" must be refused or stay
 * on the API's own host; absolute URLs are accepted only on the provider's own origins.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedOrigins, apiBaseOf, resolveApiUrl } from '../../../main/core/requests/api-target';
import { PatchbayError } from '../../../main/core/model/errors';
import type { ProviderDefinition } from '../../../preload/contract';

const def: ProviderDefinition = {
  id: 'acme',
  name: 'Acme',
  auth: 'oauth2',
  authorizationUrl: 'https://login.acme.example/authorize',
  tokenUrl: 'https://login.acme.example/token',
  testUrl: 'https://acme.example/me',
  apiBaseUrl: 'https://api.acme.example/v2/',
};

function refusal(target: string): PatchbayError {
  try {
    resolveApiUrl(def, target);
  } catch (error) {
    return error as PatchbayError;
  }
  throw new Error(`${target} was accepted`);
}

describe('API base', () => {
  it('is apiBaseUrl without a trailing slash, else the origin of testUrl, else null', () => {
    expect(apiBaseOf(def)).toBe('https://api.acme.example/v2');
    expect(apiBaseOf({ ...def, apiBaseUrl: undefined } as ProviderDefinition)).toBe('https://acme.example');
    expect(apiBaseOf({ id: 'x', name: 'X', auth: 'oauth2' })).toBeNull();
  });

  it('resolves relative paths under the base path', () => {
    expect(resolveApiUrl(def, '/users?page=2').href).toBe('https://api.acme.example/v2/users?page=2');
    expect(resolveApiUrl(def, 'users').href).toBe('https://api.acme.example/v2/users');
  });

  it("counts the provider's endpoint origins as its own, and nothing else", () => {
    expect([...allowedOrigins(def)].sort()).toEqual([
      'https://acme.example',
      'https://api.acme.example',
      'https://login.acme.example',
    ]);
    expect(resolveApiUrl(def, 'https://login.acme.example/userinfo').host).toBe('login.acme.example');
  });
});

describe('origin rule', () => {
  it.each([
    'https://evil.example/x',
    'http://api.acme.example/v2/x',
    'https://api.acme.example:8443/x',
    'https://api.acme.example.evil.example/x',
    'https://user:pw@api.acme.example/x',
    'https://api.acme.example@evil.example/x',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'HTTPS://EVIL.EXAMPLE/',
    'ftp://api.acme.example/',
  ])('refuses %s with invalid_input on "path"', (target) => {
    const error = refusal(target);
    expect(error).toBeInstanceOf(PatchbayError);
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe('path');
  });

  it('refuses control characters and empty paths', () => {
    expect(refusal('/me\r\nHost: evil').field).toBe('path');
    expect(refusal('  ').field).toBe('path');
  });

  it('keeps every relative path on the API host, whatever it contains (10000 cases)', { timeout: 60_000 }, () => {
    const tricky = fc.constantFrom(
      '/',
      '//',
      '\\',
      '@',
      ':',
      '..',
      '%2f',
      '%2e',
      '?',
      '#',
      'evil.example',
      '127.0.0.1',
      '\\\\',
      '/@',
      '%40',
      ' ',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(tricky, fc.string()), { maxLength: 8 }), (parts) => {
        const path = parts.join('');
        if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path.trim()) || path.trim() === '' || /[\u0000-\u001f\u007f]/.test(path))
          return;
        const url = resolveApiUrl(def, path);
        expect(url.origin).toBe('https://api.acme.example');
        expect(url.username + url.password).toBe('');
      }),
      { numRuns: 10_000 },
    );
  });
});
