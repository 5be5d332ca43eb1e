import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../../../main/core/model/errors';
import {
  classifyNavigation,
  matchesErrorPage,
  matchesRedirectUri,
  parseRedirectUri,
  schemeOf,
} from '../../../main/electron/redirect-match';

const HTTPS = 'https://good.example.com/oauth/callback';
const SCHEME = 'patchbay://oauth/callback';
const LOOPBACK = 'http://127.0.0.1:53682/callback';

describe('matchesRedirectUri: accepts the exact endpoint with any callback query', () => {
  it.each([
    [HTTPS, `${HTTPS}?code=abc&state=xyz`],
    [HTTPS, HTTPS],
    [HTTPS, 'HTTPS://GOOD.EXAMPLE.COM/oauth/callback?code=1'],
    [HTTPS, 'https://good.example.com:443/oauth/callback?code=1'],
    [SCHEME, `${SCHEME}?code=abc&state=xyz`],
    [SCHEME, 'PATCHBAY://OAUTH/callback?code=1'],
    [LOOPBACK, `${LOOPBACK}?code=abc&state=xyz`],
    ['http://[::1]:8080/cb', 'http://[::1]:8080/cb?code=1'],
  ])('%s <- %s', (registered, candidate) => {
    expect(matchesRedirectUri(candidate, registered)).toBe(true);
  });
});

describe('matchesRedirectUri: refuses look-alikes and tricks', () => {
  it.each([
    ['look-alike host suffix', HTTPS, 'https://good.example.com.evil.test/oauth/callback?code=1'],
    ['userinfo trick', HTTPS, 'https://good.example.com@evil.test/oauth/callback?code=1'],
    ['userinfo on the right host', HTTPS, 'https://user:pw@good.example.com/oauth/callback?code=1'],
    ['callback in the fragment of another host', HTTPS, 'https://evil.test/#https://good.example.com/oauth/callback'],
    ['callback in the query of another host', HTTPS, 'https://evil.test/?r=https://good.example.com/oauth/callback'],
    ['different port', HTTPS, 'https://good.example.com:8443/oauth/callback?code=1'],
    ['http instead of https', HTTPS, 'http://good.example.com/oauth/callback?code=1'],
    ['sub-path', HTTPS, 'https://good.example.com/oauth/callback/extra?code=1'],
    ['prefix path', HTTPS, 'https://good.example.com/oauth/callbackx?code=1'],
    ['trailing slash', HTTPS, 'https://good.example.com/oauth/callback/?code=1'],
    ['path case', HTTPS, 'https://good.example.com/OAuth/callback?code=1'],
    ['dot-dot traversal', HTTPS, 'https://good.example.com/evil/../oauth/callback?code=1'],
    ['single dot', HTTPS, 'https://good.example.com/oauth/./callback?code=1'],
    ['encoded dot', HTTPS, 'https://good.example.com/evil/%2e%2e/oauth/callback?code=1'],
    ['encoded slash', HTTPS, 'https://good.example.com/oauth%2Fcallback?code=1'],
    ['encoded letter', HTTPS, 'https://good.example.com/oauth/call%62ack?code=1'],
    ['backslash', HTTPS, 'https://good.example.com\\oauth\\callback?code=1'],
    ['subdomain', HTTPS, 'https://a.good.example.com/oauth/callback?code=1'],
    ['other loopback port', LOOPBACK, 'http://127.0.0.1:53683/callback?code=1'],
    ['localhost vs 127.0.0.1', LOOPBACK, 'http://localhost:53682/callback?code=1'],
    ['custom scheme other host', SCHEME, 'patchbay://evil/callback?code=1'],
    ['custom scheme other scheme', SCHEME, 'patchbayx://oauth/callback?code=1'],
    ['custom scheme with userinfo', SCHEME, 'patchbay://x@oauth/callback?code=1'],
    ['not a URL', HTTPS, 'not a url'],
    ['empty', HTTPS, ''],
    ['javascript', HTTPS, 'javascript:alert(1)//https://good.example.com/oauth/callback'],
  ])('%s', (_name, registered, candidate) => {
    expect(matchesRedirectUri(candidate, registered)).toBe(false);
  });

  it('keeps registered query parameters mandatory and unchanged', () => {
    const registered = 'https://good.example.com/cb?tenant=a';
    expect(matchesRedirectUri('https://good.example.com/cb?tenant=a&code=1', registered)).toBe(true);
    expect(matchesRedirectUri('https://good.example.com/cb?tenant=b&code=1', registered)).toBe(false);
    expect(matchesRedirectUri('https://good.example.com/cb?code=1', registered)).toBe(false);
    expect(matchesRedirectUri('https://good.example.com/cb?tenant=a&tenant=b', registered)).toBe(false);
  });

  it('never matches a host other than the registered one (property)', () => {
    fc.assert(
      fc.property(fc.domain(), fc.webPath(), fc.webQueryParameters(), (host, pathPart, query) => {
        fc.pre(host.toLowerCase() !== 'good.example.com');
        const candidate = `https://${host}${pathPart || '/'}?${query}`;
        return !matchesRedirectUri(candidate, HTTPS);
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(typeof matchesRedirectUri(a, b)).toBe('boolean');
        expect(classifyNavigation(a, { redirectUri: SCHEME, errorPageUrl: b }).kind).toMatch(
          /callback|error_page|continue/,
        );
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});

describe('classifyNavigation', () => {
  const livechat = {
    redirectUri: 'https://app.example.com/livechat/callback',
    errorPageUrl: 'https://accounts.livechat.com/ooops?oauth_exception=',
  };

  it('returns the callback without its fragment', () => {
    const verdict = classifyNavigation(`${SCHEME}?code=abc&state=s#junk`, { redirectUri: SCHEME });
    expect(verdict.kind).toBe('callback');
    if (verdict.kind !== 'callback') return;
    expect(verdict.url.href).toBe(`${SCHEME}?code=abc&state=s`);
  });

  it('keeps a callback without state as a callback (the core rejects it)', () => {
    expect(classifyNavigation(`${SCHEME}?code=abc`, { redirectUri: SCHEME }).kind).toBe('callback');
  });

  it("recognises LiveChat's error page", () => {
    const url = 'https://accounts.livechat.com/ooops?oauth_exception=invalid_request&exception_details=client_id';
    const verdict = classifyNavigation(url, livechat);
    expect(verdict.kind).toBe('error_page');
    if (verdict.kind === 'error_page') expect(verdict.url.searchParams.get('oauth_exception')).toBe('invalid_request');
  });

  it.each([
    'https://accounts.livechat.com/ooops',
    'https://accounts.livechat.com/ooops2?oauth_exception=x',
    'https://accounts.livechat.com.evil.test/ooops?oauth_exception=x',
    'https://accounts.livechat.com/?oauth_exception=x',
    'https://accounts.livechat.com/',
  ])('other LiveChat pages continue: %s', (url) => {
    expect(classifyNavigation(url, livechat).kind).toBe('continue');
  });

  it('matches an error page by origin and path, not by string prefix', () => {
    expect(matchesErrorPage('https://accounts.livechat.com.evil.test/', 'https://accounts.livechat.com')).toBe(false);
    expect(matchesErrorPage('https://accounts.livechat.com/', 'https://accounts.livechat.com')).toBe(true);
  });
});

describe('parseRedirectUri and schemeOf', () => {
  it.each([
    ['relative', '/callback'],
    ['fragment', 'https://good.example.com/cb#x'],
    ['userinfo', 'https://u@good.example.com/cb'],
    ['dot segment', 'https://good.example.com/a/../cb'],
    ['encoded slash', 'https://good.example.com/a%2fcb'],
  ])('refuses %s with invalid_input on redirectUri', (_name, uri) => {
    try {
      parseRedirectUri(uri);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(PatchbayError);
      expect((error as PatchbayError).code).toBe('invalid_input');
      expect((error as PatchbayError).field).toBe('redirectUri');
    }
  });

  it('names the scheme to guard', () => {
    expect(schemeOf(SCHEME)).toBe('patchbay');
    expect(schemeOf(HTTPS)).toBe('https');
    expect(schemeOf(LOOPBACK)).toBe('http');
  });
});
