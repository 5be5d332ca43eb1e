/**
 * The one rule for which links the page may open outside the app, on every host.
 *
 * The page only ever needs to open a provider's own documentation or API-key help link. Built-in
 * providers are ours, so any https page on their docs hosts may open (their docs link to each
 * other). A custom provider comes from a person or an import file, which may be hostile, so only
 * its exact docs and help URLs are allowed, never the rest of its host. Everything else — other
 * schemes, user names, ports, control characters, overlong URLs — is refused.
 */
import type { ProviderView } from '../../preload/contract';

/** Longest link the policy looks at; a docs URL is far shorter. */
export const MAX_LINK_LENGTH = 2_048;

/** A link allow-list kept in step with the provider list. */
export interface LinkPolicy {
  /** Recompute the allow-list from the current providers (built-in and custom). */
  update(providers: readonly ProviderView[]): void;
  /** May `url` be opened outside the app? */
  allows(url: string): boolean;
}

/** A clean https URL (no user name, default port, no control characters), or null. */
function parseLink(raw: string): URL | null {
  if (raw.length > MAX_LINK_LENGTH || /[\u0000-\u001f\u007f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return null;
  return url;
}

/** The form exact matches are compared in: no fragment (it never reaches the server). */
function withoutFragment(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

/** Build an empty policy; `update` fills it. */
export function createLinkPolicy(): LinkPolicy {
  let builtInHosts = new Set<string>();
  let exactLinks = new Set<string>();
  return {
    update(providers) {
      const hosts = new Set<string>();
      const exact = new Set<string>();
      for (const provider of providers) {
        for (const raw of [provider.definition.docsUrl, provider.definition.apiKeyHelpUrl]) {
          const url = raw ? parseLink(raw) : null;
          if (!url) continue;
          if (provider.builtIn) hosts.add(url.hostname.toLowerCase());
          else exact.add(withoutFragment(url));
        }
      }
      builtInHosts = hosts;
      exactLinks = exact;
    },
    allows(raw) {
      const url = typeof raw === 'string' ? parseLink(raw) : null;
      if (!url) return false;
      return builtInHosts.has(url.hostname.toLowerCase()) || exactLinks.has(withoutFragment(url));
    },
  };
}
