/**
 * The "browser" of engine tests: real HTTP requests, no mocked fetch.
 *
 * followRedirects GETs the authorization URL and follows each 302 (including the last one to the
 * loopback callback, a real request to the loopback listener). The embedded-like authorizer
 * mimics the Electron auth window: it follows the provider's redirects and stops at the first
 * one that targets the redirect URI or the provider's error page, without loading it.
 */
import { PatchbayError } from '../../../main/core/model/errors';
import { createLoopbackAuthorizer } from '../../../main/core/authorizers/loopback-authorizer';
import type { ProviderDefinition } from '../../../preload/contract';
import type { Authorizer } from '../../../main/core/model/types';

/** GET a URL and follow redirects by hand (at most 10), like a browser tab would. */
export async function followRedirects(start: URL, stopAt?: (url: URL) => boolean): Promise<URL> {
  let url = start;
  for (let hop = 0; hop < 10; hop += 1) {
    if (stopAt?.(url)) return url;
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    return url;
  }
  throw new Error('too many redirects');
}

/** The loopback authorizer driven by followRedirects: the whole browser step over real HTTP. */
export function testBrowserAuthorizer(onOpen?: (url: URL) => void): Authorizer {
  return createLoopbackAuthorizer({
    openUrl: async (url) => {
      onOpen?.(url);
      await followRedirects(url);
    },
  });
}

/** An authorizer that mimics the embedded auth window (catches the redirect before it loads). */
export function embeddedLikeAuthorizer(redirect = 'patchbay://oauth/callback'): Authorizer {
  const target = (def: ProviderDefinition) => def.redirectUri ?? redirect;
  return {
    mode: 'embedded',
    describeRedirectUri: target,
    async prepare(def) {
      const redirectUri = target(def);
      return {
        redirectUri,
        async authorize(url, signal) {
          if (signal.aborted)
            throw signal.reason instanceof PatchbayError ? signal.reason : new PatchbayError('cancelled', 'cancelled');
          return followRedirects(
            url,
            (u) =>
              u.href.startsWith(redirectUri) || (def.errorPageUrl !== undefined && u.href.startsWith(def.errorPageUrl)),
          );
        },
        async dispose() {},
      };
    },
  };
}

/** An authorizer whose page never comes back (the user walked away): waits for the abort. */
export function walkAwayAuthorizer(): Authorizer {
  return {
    mode: 'browser',
    describeRedirectUri: () => 'http://127.0.0.1/callback',
    async prepare() {
      return {
        redirectUri: 'http://127.0.0.1:9/callback',
        authorize: (_url, signal) =>
          new Promise<URL>((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          }),
        async dispose() {},
      };
    },
  };
}
