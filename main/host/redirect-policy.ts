/**
 * Which redirect URI a provider is shown (and used) with, the same on every host when it can be.
 *
 * A provider that matches redirect URIs exactly cannot take "whatever this host prefers": the
 * person registers one URI at the provider, and it must work in the desktop app and in the
 * browser alike. So a provider's own fixed redirect URI wins, and a provider with a fixed
 * loopback port (LiveChat) gets `http://127.0.0.1:<port>/callback` everywhere — the desktop
 * app's sign-in window catches that address before it loads, and its system-browser path
 * listens on it. Only providers that accept any redirect fall back to the host's own default.
 */
import type { ProviderDefinition } from '../../preload/contract';
import { loopbackRedirectUri } from '../core/authorizers/loopback-authorizer';

/** The redirect URI a provider fixes for every host, or null when the host may choose. */
export function fixedRedirectUri(provider: Pick<ProviderDefinition, 'redirectUri' | 'loopbackPort'>): string | null {
  if (provider.redirectUri) return provider.redirectUri;
  if (provider.loopbackPort) return loopbackRedirectUri(provider.loopbackPort);
  return null;
}

/** The redirect URI to show and use: the provider's fixed one, else `hostDefault`. */
export function redirectUriFor(
  provider: Pick<ProviderDefinition, 'redirectUri' | 'loopbackPort'>,
  hostDefault: string,
): string {
  return fixedRedirectUri(provider) ?? hostDefault;
}

/** The loopback port of a `http://127.0.0.1:<port>/callback` redirect URI, or null for anything else. */
export function loopbackPortOf(redirectUri: string): number | null {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return null;
  }
  if (
    url.protocol !== 'http:' ||
    url.hostname !== '127.0.0.1' ||
    url.port === '' ||
    url.search !== '' ||
    url.hash !== ''
  )
    return null;
  return loopbackRedirectUri(Number(url.port)) === url.href ? Number(url.port) : null;
}
