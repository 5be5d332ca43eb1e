/**
 * The system-browser authorizer of the Electron host.
 *
 * Decision: the browser opens the provider's page with `shell.openExternal`, and the answer comes
 * back through the OS-registered `patchbay://oauth/callback` link (open-url on macOS,
 * second-instance argv on Windows/Linux) — but only when the OS really routes that scheme to this
 * executable (`app.isDefaultProtocolClient`). Otherwise (an unpackaged build on Linux, a machine
 * where another Patchbay claims the scheme, a provider with a fixed loopback port) it uses the
 * core's loopback authorizer (RFC 8252 §7.3), which works everywhere without OS registration.
 * The custom scheme is preferred when available because it is the same redirect URI as the
 * embedded window: "Use my browser instead" can then continue the very same attempt (same state
 * and PKCE verifier) instead of starting over.
 */
import { app, shell } from 'electron';
import type { ProviderDefinition } from '../../preload/contract';
import { PatchbayError } from '../core/model/errors';
import type { Authorizer, PreparedRedirect } from '../core/model/types';
import { loopbackPortOf } from '../host/redirect-policy';
import { DEEP_LINK_CALLBACK, DEEP_LINK_SCHEME } from './deep-link';
import type { DeepLinkQueue } from './deep-link-queue';

/** Continues an attempt in the system browser and waits for the deep link. */
export interface BrowserFallback {
  /** True when a browser can hand `redirectUri` back to this app. */
  canReturn(redirectUri: string): boolean;
  /** Open the page in the system browser; resolve with the callback link. */
  run(authorizationUrl: URL, signal: AbortSignal, provider: ProviderDefinition): Promise<URL>;
}

/** Only http(s) pages go to the system browser; anything else is refused unopened. */
async function openInBrowser(url: URL): Promise<void> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`refusing to open a ${url.protocol} URL in the browser`);
  }
  await shell.openExternal(url.href, { activate: true });
}

/** The deep-link half, shared by the browser authorizer and the auth window's fallback. */
export function createDeepLinkFallback(queue: DeepLinkQueue): BrowserFallback {
  return {
    canReturn: (redirectUri) => redirectUri === DEEP_LINK_CALLBACK && app.isDefaultProtocolClient(DEEP_LINK_SCHEME),
    run: async (authorizationUrl, signal) => {
      const since = queue.now();
      const waiting = queue.next(signal, since);
      await openInBrowser(authorizationUrl);
      return waiting;
    },
  };
}

/**
 * The loopback half: a redirect URI `http://127.0.0.1:<port>/callback` (a provider with a fixed
 * loopback port, shown the same on every host) comes back to a one-shot listener on that port,
 * so the very same attempt continues in the browser whether or not the OS knows our scheme.
 */
export function createLoopbackFallback(loopback: Authorizer): BrowserFallback {
  return {
    canReturn: (redirectUri) => loopbackPortOf(redirectUri) !== null,
    run: async (authorizationUrl, signal, provider) => {
      const redirectUri = authorizationUrl.searchParams.get('redirect_uri') ?? '';
      const port = loopbackPortOf(redirectUri);
      if (port === null)
        throw new PatchbayError(
          'internal',
          'Patchbay could not continue this sign-in in your browser. Press Connect to try again.',
        );
      const prepared = await loopback.prepare({ ...provider, loopbackPort: port });
      try {
        return await prepared.authorize(authorizationUrl, signal);
      } finally {
        await prepared.dispose();
      }
    },
  };
}

/** The first fallback that can bring `redirectUri` back, tried in order. */
export function firstFallback(...fallbacks: BrowserFallback[]): BrowserFallback {
  const pick = (redirectUri: string) => fallbacks.find((f) => f.canReturn(redirectUri));
  return {
    canReturn: (redirectUri) => pick(redirectUri) !== undefined,
    run: (authorizationUrl, signal, provider) => {
      const chosen = pick(authorizationUrl.searchParams.get('redirect_uri') ?? '');
      if (!chosen)
        return Promise.reject(
          new PatchbayError(
            'internal',
            'Patchbay could not continue this sign-in in your browser. Press Connect to try again.',
          ),
        );
      return chosen.run(authorizationUrl, signal, provider);
    },
  };
}

function usesDeepLink(fallback: BrowserFallback, provider: ProviderDefinition): boolean {
  if (provider.loopbackPort !== undefined) return false;
  const wanted = provider.redirectUri ?? DEEP_LINK_CALLBACK;
  return fallback.canReturn(wanted);
}

/**
 * Build the 'browser' authorizer: deep link when the OS routes the scheme to us, else loopback.
 *
 * `loopback` is the core's createLoopbackAuthorizer (same mode), passed in so this module stays
 * wiring only.
 */
export function createBrowserAuthorizer(fallback: BrowserFallback, loopback: Authorizer): Authorizer {
  return {
    mode: 'browser',
    describeRedirectUri: (provider) =>
      usesDeepLink(fallback, provider) ? DEEP_LINK_CALLBACK : loopback.describeRedirectUri(provider),
    prepare: async (provider): Promise<PreparedRedirect> => {
      if (!usesDeepLink(fallback, provider)) return loopback.prepare(provider);
      return {
        redirectUri: DEEP_LINK_CALLBACK,
        authorize: (authorizationUrl, signal) => fallback.run(authorizationUrl, signal, provider),
        dispose: async () => undefined,
      };
    },
  };
}

export { openInBrowser };
