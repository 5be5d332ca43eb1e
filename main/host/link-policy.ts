/**
 * The one rule for which links the page may open outside the app, on every host.
 *
 * The page only ever needs to open a provider's own documentation or API-key help link. Built-in
 * providers are ours, so any https page on their docs hosts may open (their docs link to each
 * other). A custom provider comes from a person or an import file, which may be hostile, so only
 * its exact docs and help URLs are allowed, never the rest of its host. A device-code sign-in in
 * progress adds its verification page, exactly, until it ends. Everything else — other
 * schemes, user names, ports, control characters, overlong URLs — is refused.
 */
import type { ProviderView } from '../../preload/contract';
import { safeVerificationUri } from '../core/oauth/device-code';

/** Longest link the policy looks at; a docs URL is far shorter. */
export const MAX_LINK_LENGTH = 2_048;

/** A link allow-list kept in step with the provider list. */
export interface LinkPolicy {
  /** Recompute the allow-list from the current providers (built-in and custom). */
  update(providers: readonly ProviderView[]): void;
  /** May `url` be opened outside the app? */
  allows(url: string): boolean;
  /**
   * Allow the exact addresses a running sign-in shows (a device code's verification page) until
   * `endFlow` for the same provider. The core has already checked them (https://, or http:// on
   * this computer); they are checked again here like every other link.
   */
  allowForFlow(providerId: string, urls: readonly string[]): void;
  endFlow(providerId: string): void;
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

/**
 * A device verification page: the same rule the device flow applied when the provider sent it
 * (https://, or http:// on this computer; no user name), so the two can never disagree.
 */
function parseFlowLink(raw: string): URL | null {
  const href = raw.length > MAX_LINK_LENGTH ? null : safeVerificationUri(raw);
  return href === null ? null : new URL(href);
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
  const flowLinks = new Map<string, Set<string>>();
  return {
    allowForFlow(providerId, urls) {
      const links = new Set<string>();
      for (const raw of urls) {
        const url = parseFlowLink(raw);
        if (url) links.add(withoutFragment(url));
      }
      flowLinks.set(providerId, links);
    },
    endFlow(providerId) {
      flowLinks.delete(providerId);
    },
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
      const flowUrl = typeof raw === 'string' ? parseFlowLink(raw) : null;
      if (flowUrl && [...flowLinks.values()].some((links) => links.has(withoutFragment(flowUrl)))) return true;
      const url = typeof raw === 'string' ? parseLink(raw) : null;
      if (!url) return false;
      return builtInHosts.has(url.hostname.toLowerCase()) || exactLinks.has(withoutFragment(url));
    },
  };
}
