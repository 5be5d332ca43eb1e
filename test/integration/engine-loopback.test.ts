/**
 * The loopback authorizer (RFC 8252 §7.3) on real sockets, the browser opener's command line,
 * and the callback checks that do not need a provider (error names, LiveChat's error page).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ProviderDefinition } from '../../preload/contract';
import type { PatchbayError } from '../../main/core/model/errors';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { buildAuthorizationRequest, validateCallback } from '../../main/core/oauth/authorization-code';
import { openerCommand } from '../../main/core/authorizers/open-url';

const def: ProviderDefinition = {
  id: 'acme',
  name: 'Acme',
  auth: 'oauth2',
  authorizationUrl: 'https://acme.example/authorize',
  tokenUrl: 'https://acme.example/token',
  errorPageUrl: 'https://acme.example/ooops',
};

describe('loopback authorizer', () => {
  it('listens on 127.0.0.1 only, answers only /callback with code or error, and echoes nothing', async () => {
    let opened: URL | null = null;
    const authorizer = createLoopbackAuthorizer({
      openUrl: (url) => {
        opened = url;
      },
    });
    const prepared = await authorizer.prepare(def);
    const redirect = new URL(prepared.redirectUri);
    expect(redirect.hostname).toBe('127.0.0.1');
    expect(redirect.pathname).toBe('/callback');
    const pending = prepared.authorize(
      new URL('https://acme.example/authorize?x=1&state=s-456'),
      new AbortController().signal,
    );
    expect((await fetch(new URL('/callback/extra?code=c1', redirect))).status).toBe(404);
    expect((await fetch(new URL('/callback?state=only', redirect))).status).toBe(404);
    expect((await fetch(new URL('/other?code=c1', redirect))).status).toBe(404);
    const page = await fetch(new URL('/callback?code=the-code-123&state=s-456', redirect));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('you can close this tab');
    expect(html).not.toContain('the-code-123');
    expect(html).not.toContain('s-456');
    const callback = await pending;
    expect(callback.searchParams.get('code')).toBe('the-code-123');
    expect(String(opened)).toBe('https://acme.example/authorize?x=1&state=s-456');
    // Not reachable on other interfaces: the socket is bound to the loopback address itself.
    const onIpv6 = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: '::1', port: Number(redirect.port) });
      socket.once('connect', () => {
        socket.destroy();
        resolve('reachable');
      });
      socket.once('error', () => resolve('unreachable'));
    });
    expect(onIpv6).toBe('unreachable');
    await prepared.dispose();
    const after = await fetch(new URL('/callback?code=x', redirect)).then(
      () => 'open',
      () => 'closed',
    );
    expect(after).toBe('closed');
  });

  it('an abort rejects with cancelled and the listener closes on dispose', async () => {
    const prepared = await createLoopbackAuthorizer({ openUrl: () => undefined }).prepare(def);
    const controller = new AbortController();
    const pending = prepared.authorize(new URL('https://acme.example/authorize'), controller.signal).then(
      () => null,
      (e: unknown) => e as PatchbayError,
    );
    controller.abort();
    expect((await pending)?.code).toBe('cancelled');
    await prepared.dispose();
  });

  it('describes the redirect URI to register', () => {
    const authorizer = createLoopbackAuthorizer({ openUrl: () => undefined });
    expect(authorizer.describeRedirectUri(def)).toBe('http://127.0.0.1/callback');
    expect(authorizer.describeRedirectUri({ ...def, loopbackPort: 47616 })).toBe('http://127.0.0.1:47616/callback');
  });
});

describe('callback checks', () => {
  it("names the provider's error but never repeats its description", async () => {
    const request = await buildAuthorizationRequest(def, 'client', 'http://127.0.0.1:5000/callback');
    const callback = new URL(
      `http://127.0.0.1:5000/callback?error=temporarily_unavailable&error_description=%3Cscript%3Eevil%3C%2Fscript%3E&state=${request.state}`,
    );
    const error = (() => {
      try {
        validateCallback(def, 'client', callback, request);
        return null;
      } catch (e) {
        return e as PatchbayError;
      }
    })();
    expect(error?.code).toBe('provider_error');
    expect(error?.message).toContain('temporarily_unavailable');
    expect(error?.message).not.toContain('script');
  });

  it("reads LiveChat's error page: access_denied, or another exception as provider_error", async () => {
    const request = await buildAuthorizationRequest(def, 'client', 'http://127.0.0.1:5000/callback');
    const run = (url: string) => {
      try {
        validateCallback(def, 'client', new URL(url), request);
        return null;
      } catch (e) {
        return e as PatchbayError;
      }
    };
    expect(run('https://acme.example/ooops?oauth_exception=access_denied')?.code).toBe('access_denied');
    const other = run('https://acme.example/ooops?oauth_exception=invalid_redirect_uri');
    expect(other?.code).toBe('provider_error');
    expect(other?.message).toContain('invalid_redirect_uri');
  });
});

describe('open-url', () => {
  it('passes the URL as one argument, never through a shell', () => {
    const url = 'https://acme.example/authorize?a=1&b=2|x';
    expect(openerCommand(url, 'linux')).toEqual({ command: 'xdg-open', args: [url] });
    expect(openerCommand(url, 'darwin')).toEqual({ command: 'open', args: [url] });
    expect(openerCommand(url, 'win32')).toEqual({ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] });
  });
});
