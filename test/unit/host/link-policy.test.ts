/**
 * The one link policy: built-in providers' docs hosts, custom providers' exact links, nothing
 * else — and nothing that a hostile import file could use to widen it.
 */
import { describe, expect, it } from 'vitest';
import { createLinkPolicy, MAX_LINK_LENGTH } from '../../../main/host/link-policy';
import { followFlowLinks } from '../../../main/host/host-runtime';
import type { FlowEvent } from '../../../preload/contract';
import { providerView } from '../../helpers/host-core';

const policy = createLinkPolicy();
policy.update([
  providerView(
    { id: 'livechat', name: 'LiveChat', auth: 'oauth2', docsUrl: 'https://platform.text.com/docs/authorization' },
    true,
  ),
  providerView(
    { id: 'landbot', name: 'Landbot', auth: 'apiKey', apiKeyHelpUrl: 'https://dev.landbot.io/guides' },
    true,
  ),
  providerView({ id: 'old', name: 'Old', auth: 'oauth2', docsUrl: 'http://insecure.example.com/docs' }, true),
  providerView({ id: 'broken', name: 'Broken', auth: 'oauth2', docsUrl: 'not a url' }, true),
  providerView(
    {
      id: 'acme',
      name: 'Acme',
      auth: 'oauth2',
      docsUrl: 'https://wiki.acme.test/oauth#setup',
      apiKeyHelpUrl: 'https://acme.test/keys',
    },
    false,
  ),
]);

describe('link policy', () => {
  it.each([
    ['a built-in docs page', 'https://platform.text.com/docs/authorization', true],
    ['another page on a built-in docs host', 'https://platform.text.com/docs/other', true],
    ['a built-in host in capitals', 'https://PLATFORM.TEXT.COM/docs', true],
    ['a built-in help host', 'https://dev.landbot.io/guides/x', true],
    ["a custom provider's exact docs link", 'https://wiki.acme.test/oauth', true],
    ['the same with another fragment', 'https://wiki.acme.test/oauth#other', true],
    ["a custom provider's exact help link", 'https://acme.test/keys', true],
    ['another page on a custom host', 'https://wiki.acme.test/admin', false],
    ['a custom link with a query added', 'https://acme.test/keys?next=https://evil.test', false],
    ['http on a built-in host', 'http://platform.text.com/docs', false],
    ['an http docs link of the catalog', 'http://insecure.example.com/docs', false],
    ['a look-alike suffix', 'https://platform.text.com.evil.test/docs', false],
    ['a sub-domain', 'https://evil.platform.text.com/docs', false],
    ['a user-name trick', 'https://platform.text.com@evil.test/docs', false],
    ['a user name', 'https://user@platform.text.com/docs', false],
    ['a port', 'https://platform.text.com:8443/docs', false],
    ['a file URL', 'file:///etc/passwd', false],
    ['javascript:', 'javascript:alert(1)', false],
    ['a control character', 'https://platform.text.com/docs\n', false],
    ['an overlong URL', `https://platform.text.com/${'a'.repeat(MAX_LINK_LENGTH)}`, false],
    ['not a URL', 'platform.text.com/docs', false],
  ])('%s: %s -> %s', (_name, url, allowed) => {
    expect(policy.allows(url)).toBe(allowed);
  });

  it("follows the provider list: a deleted custom provider's link is refused at once", () => {
    const p = createLinkPolicy();
    const acme = providerView({ id: 'acme', name: 'Acme', auth: 'oauth2', docsUrl: 'https://acme.test/docs' }, false);
    expect(p.allows('https://acme.test/docs')).toBe(false);
    p.update([acme]);
    expect(p.allows('https://acme.test/docs')).toBe(true);
    p.update([]);
    expect(p.allows('https://acme.test/docs')).toBe(false);
  });

  it('a custom provider cannot claim a whole host, even one a built-in uses', () => {
    const p = createLinkPolicy();
    p.update([providerView({ id: 'x', name: 'X', auth: 'oauth2', docsUrl: 'https://accounts.example.test/' }, false)]);
    expect(p.allows('https://accounts.example.test/')).toBe(true);
    expect(p.allows('https://accounts.example.test/oauth/authorize?client_id=x')).toBe(false);
  });

  it('opens a device sign-in verification page exactly, and only while that sign-in runs', () => {
    const p = createLinkPolicy();
    const event = (stage: FlowEvent['stage'], device?: FlowEvent['device']): FlowEvent => ({
      flowId: 'f',
      providerId: 'tv',
      stage,
      message: 'm',
      at: 'now',
      ...(device ? { device } : {}),
    });
    followFlowLinks(
      p,
      event('waiting_for_user', {
        verificationUri: 'http://127.0.0.1:47615/device',
        verificationUriComplete: 'http://127.0.0.1:47615/device?user_code=BCDF-GHJK',
        userCode: 'BCDF-GHJK',
        expiresIn: 600,
      }),
    );
    expect(p.allows('http://127.0.0.1:47615/device')).toBe(true);
    expect(p.allows('http://127.0.0.1:47615/device?user_code=BCDF-GHJK')).toBe(true);
    expect(p.allows('http://127.0.0.1:47615/other')).toBe(false);
    expect(p.allows('http://127.0.0.1:47616/device')).toBe(false);
    // A verification address that is not https:// (or loopback http://) never becomes a link.
    p.allowForFlow('evil', ['javascript:alert(1)', 'http://evil.example/device', 'https://u:p@evil.example/']);
    expect(p.allows('javascript:alert(1)')).toBe(false);
    expect(p.allows('http://evil.example/device')).toBe(false);
    expect(p.allows('https://u:p@evil.example/')).toBe(false);
    followFlowLinks(p, event('connected'));
    expect(p.allows('http://127.0.0.1:47615/device')).toBe(false);
  });
});
