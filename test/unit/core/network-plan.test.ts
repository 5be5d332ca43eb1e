/**
 * The network plan: which proxy and CA files a provider request uses, who wins between the
 * environment and Settings, NO_PROXY matching, and that a proxy sign-in is never shown.
 */
import { describe, expect, it } from 'vitest';
import {
  bypassesProxy,
  checkNetworkInput,
  proxyFor,
  redactProxyUrl,
  resolveNetworkPlan,
} from '../../../main/core/network/network-plan';
import { PatchbayError } from '../../../main/core/model/errors';

const refused = (run: () => unknown): PatchbayError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PatchbayError);
    return error as PatchbayError;
  }
  throw new Error('expected a refusal');
};

describe('resolveNetworkPlan', () => {
  it('reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY, lower case first', () => {
    const plan = resolveNetworkPlan(
      {
        HTTPS_PROXY: 'http://upper:1',
        https_proxy: 'http://lower:2',
        HTTP_PROXY: 'http://plain:3',
        no_proxy: 'a.test',
      },
      undefined,
    );
    expect(plan).toMatchObject({
      httpsProxy: 'http://lower:2',
      httpProxy: 'http://plain:3',
      noProxy: 'a.test',
      proxySource: 'environment',
    });
  });

  it('sends https:// through HTTP_PROXY when HTTPS_PROXY is not set (undici and curl agree on it)', () => {
    expect(resolveNetworkPlan({ HTTP_PROXY: 'http://p:3128' }, undefined).httpsProxy).toBe('http://p:3128');
  });

  it("the settings' sign-in goes into the proxy address undici reads, encoded", () => {
    const plan = resolveNetworkPlan(
      {},
      { proxyUrl: 'http://p.corp:3128', proxyUser: 'bob@corp', hasProxyPassword: true },
      'p:w/d',
    );
    expect(plan.httpsProxy).toBe('http://bob%40corp:p%3Aw%2Fd@p.corp:3128');
    expect(redactProxyUrl(plan.httpsProxy ?? '')).toBe('http://***@p.corp:3128');
  });

  it('a proxy in Settings wins over the environment; both bypass lists and both CA files add up', () => {
    const plan = resolveNetworkPlan(
      { HTTPS_PROXY: 'http://env:1', NO_PROXY: 'env.test', PATCHBAY_CA_FILE: '/env/ca.pem' },
      { proxyUrl: 'http://settings:2', noProxy: 'settings.test', caFile: '/settings/ca.pem' },
    );
    expect(plan.httpsProxy).toBe('http://settings:2');
    expect(plan.httpProxy).toBe('http://settings:2');
    expect(plan.proxySource).toBe('settings');
    expect(plan.noProxy).toBe('env.test,settings.test');
    expect(plan.caFiles).toEqual([
      { path: '/env/ca.pem', field: 'PATCHBAY_CA_FILE' },
      { path: '/settings/ca.pem', field: 'caFile' },
    ]);
  });

  it('empty variables count as unset', () => {
    expect(resolveNetworkPlan({ HTTPS_PROXY: ' ', PATCHBAY_CA_FILE: '' }, undefined)).toEqual({
      httpProxy: null,
      httpsProxy: null,
      noProxy: '',
      proxySource: null,
      caFiles: [],
    });
  });

  it('a broken HTTPS_PROXY is refused naming the variable, without echoing a sign-in', () => {
    const error = refused(() => resolveNetworkPlan({ HTTPS_PROXY: 'socks5://u:secretpw@p:1' }, undefined));
    expect(error.field).toBe('HTTPS_PROXY');
    expect(error.message).toContain('http:// or https://');
    expect(error.message).not.toContain('secretpw');
  });
});

describe('NO_PROXY matching', () => {
  const url = (u: string) => new URL(u);
  it.each([
    ['http://127.0.0.1:8080/x', '127.0.0.1', true],
    ['https://api.corp.test/x', '.corp.test', true],
    ['https://corp.test/x', '*.corp.test', true],
    ['https://evilcorp.test/x', 'corp.test', false],
    ['https://api.corp.test:8443/x', 'api.corp.test:443', false],
    ['https://api.corp.test/x', 'api.corp.test:443', true],
    ['https://anything.test/x', '*', true],
    ['https://id.acme.test/x', '', false],
  ])('%s with NO_PROXY=%s bypasses: %s', (target, list, expected) => {
    expect(bypassesProxy(url(target), list)).toBe(expected);
  });

  it('proxyFor picks the proxy by scheme and honours the list', () => {
    const plan = resolveNetworkPlan(
      { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://p:2', NO_PROXY: 'skip.test' },
      undefined,
    );
    expect(proxyFor(plan, url('https://a.test/'))).toBe('http://s:1');
    expect(proxyFor(plan, url('http://a.test/'))).toBe('http://p:2');
    expect(proxyFor(plan, url('https://skip.test/'))).toBeNull();
  });
});

describe('redactProxyUrl', () => {
  it.each([
    ['http://alice:pa55@proxy.corp:3128', 'http://***@proxy.corp:3128'],
    ['http://alice@proxy.corp:3128/', 'http://***@proxy.corp:3128'],
    ['http://proxy.corp:3128', 'http://proxy.corp:3128'],
    ['not a url user:pa55@host', '***@host'],
  ])('%s -> %s', (raw, shown) => {
    expect(redactProxyUrl(raw)).toBe(shown);
    expect(redactProxyUrl(raw)).not.toContain('pa55');
  });
});

describe('checkNetworkInput (Settings > Network)', () => {
  it('normalises a good entry', () => {
    expect(
      checkNetworkInput({ proxyUrl: ' http://proxy.corp:3128/ ', noProxy: ' localhost ,, .corp.test ', caFile: '' }),
    ).toEqual({ proxyUrl: 'http://proxy.corp:3128', noProxy: 'localhost,.corp.test', caFile: null, proxyUser: null });
  });

  it('reads an address without a scheme as an HTTP proxy, as curl does', () => {
    expect(checkNetworkInput({ proxyUrl: 'proxy.corp:3128', noProxy: '', caFile: null }).proxyUrl).toBe(
      'http://proxy.corp:3128',
    );
  });

  it.each([
    [{ proxyUrl: 'http://proxy corp:3128', noProxy: '', caFile: null }, 'proxyUrl', 'not an address'],
    [{ proxyUrl: 'ftp://proxy.corp', noProxy: '', caFile: null }, 'proxyUrl', 'http:// or https://'],
    [
      { proxyUrl: 'http://u:pw@proxy.corp', noProxy: '', caFile: null },
      'proxyUrl',
      'no passwords in its settings file',
    ],
    [{ proxyUrl: 'http://proxy.corp/path', noProxy: '', caFile: null }, 'proxyUrl', 'no path'],
    [{ proxyUrl: null, noProxy: 'a.test; rm -rf', caFile: null }, 'noProxy', 'separated by commas'],
    [{ proxyUrl: null, noProxy: '', caFile: 'ca.pem' }, 'caFile', 'full path'],
    [{ proxyUrl: null, noProxy: '', caFile: null, proxyUser: 'bob' }, 'proxyUser', 'needs a proxy address'],
    [{ proxyUrl: 'http://p:1', noProxy: '', caFile: null, proxyPassword: 'pw' }, 'proxyUser', 'needs the user name'],
    [
      { proxyUrl: 'http://p:1', noProxy: '', caFile: null, proxyUser: 'bob', proxyPassword: 'a\nb' },
      'proxyPassword',
      'line break',
    ],
  ])('%j is refused at %s', (input, field, words) => {
    const error = refused(() => checkNetworkInput(input));
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe(field);
    expect(error.message).toContain(words);
    expect(error.message).not.toContain(':pw@');
  });
});
