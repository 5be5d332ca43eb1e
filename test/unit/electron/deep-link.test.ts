import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../../../main/core/model/errors';
import {
  DEEP_LINK_CALLBACK,
  deepLinksFromArgv,
  looksLikeDeepLink,
  parseDeepLink,
} from '../../../main/electron/deep-link';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof PatchbayError) return error.code;
    return `not a PatchbayError: ${String(error)}`;
  }
  return 'no error';
}

describe('parseDeepLink', () => {
  it('accepts the callback with its query and drops the fragment', () => {
    const url = parseDeepLink(`${DEEP_LINK_CALLBACK}?code=abc&state=xyz#frag`);
    expect(url.searchParams.get('code')).toBe('abc');
    expect(url.searchParams.get('state')).toBe('xyz');
    expect(url.hash).toBe('');
  });

  it('accepts an upper-case scheme and host (RFC 3986 case rules)', () => {
    expect(parseDeepLink('PATCHBAY://OAUTH/callback?code=1').searchParams.get('code')).toBe('1');
  });

  it('leaves a missing state to the core', () => {
    expect(parseDeepLink(`${DEEP_LINK_CALLBACK}?code=1`).searchParams.has('state')).toBe(false);
  });

  it.each([
    ['another path', 'patchbay://oauth/other?code=1'],
    ['path case', 'patchbay://oauth/Callback?code=1'],
    ['trailing slash', 'patchbay://oauth/callback/?code=1'],
    ['another host', 'patchbay://evil/callback?code=1'],
    ['userinfo', 'patchbay://user@oauth/callback?code=1'],
    ['port', 'patchbay://oauth:80/callback?code=1'],
    ['dot segments', 'patchbay://oauth/x/../callback?code=1'],
    ['encoded path', 'patchbay://oauth/%63allback?code=1'],
    ['no slashes', 'patchbay:oauth/callback?code=1'],
    ['another scheme', 'https://oauth/callback?code=1'],
    ['a flag', '--inspect=9229'],
    ['spaces', 'patchbay://oauth/callback?code=1 --gpu-launcher=evil'],
    ['newline', 'patchbay://oauth/callback?code=1\n'],
    ['too long', `${DEEP_LINK_CALLBACK}?code=${'a'.repeat(9000)}`],
    ['empty', ''],
  ])('refuses %s with invalid_input', (_name, raw) => {
    expect(codeOf(() => parseDeepLink(raw))).toBe('invalid_input');
  });

  it.each([undefined, null, 42, {}, ['patchbay://oauth/callback']])('refuses non-strings (%s)', (raw) => {
    expect(codeOf(() => parseDeepLink(raw))).toBe('invalid_input');
  });

  it('throws only PatchbayError invalid_input on arbitrary input (property)', () => {
    const arbitrary = fc.oneof(
      fc.string(),
      fc.webUrl().map((u) => u.replace(/^https?:/, 'patchbay:')),
      fc.string().map((s) => `${DEEP_LINK_CALLBACK}${s}`),
      fc.string().map((s) => `patchbay://${s}`),
    );
    fc.assert(
      fc.property(arbitrary, (raw) => {
        const code = codeOf(() => parseDeepLink(raw));
        return code === 'invalid_input' || code === 'no error';
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('everything it accepts is the callback endpoint (property)', () => {
    fc.assert(
      fc.property(fc.string(), (suffix) => {
        try {
          const url = parseDeepLink(`patchbay://${suffix}`);
          return url.protocol === 'patchbay:' && url.hostname.toLowerCase() === 'oauth' && url.pathname === '/callback';
        } catch {
          return true;
        }
      }),
      { numRuns: 3000 },
    );
  }, 60_000);
});

describe('deepLinksFromArgv', () => {
  it('finds the link among Chromium switches and the app path, and reports bad links', () => {
    const rejected: PatchbayError[] = [];
    const argv = [
      '/opt/Patchbay/patchbay',
      '--no-sandbox',
      'patchbay://evil/path',
      `${DEEP_LINK_CALLBACK}?code=1&state=2`,
      '--allow-file-access-from-files',
    ];
    const links = deepLinksFromArgv(argv, (e) => rejected.push(e));
    expect(links.map((u) => u.href)).toEqual([`${DEEP_LINK_CALLBACK}?code=1&state=2`]);
    expect(rejected.map((e) => e.code)).toEqual(['invalid_input']);
  });

  it('returns nothing for a normal launch', () => {
    expect(deepLinksFromArgv(['/usr/bin/electron', '/work/app/dist/electron/main.js'])).toEqual([]);
  });

  it('recognises the scheme only at the start of an argument', () => {
    expect(looksLikeDeepLink('x patchbay://oauth/callback')).toBe(false);
    expect(looksLikeDeepLink('Patchbay://oauth/callback')).toBe(true);
  });
});
