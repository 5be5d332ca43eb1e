/**
 * Where a connection's API calls may go: the provider's API base and the origin rule.
 *
 * A token is a bearer credential: whoever receives it can act as the account. So a request made
 * through a connection may only go to an origin the provider owns, meaning the API base's origin
 * or the origin of one of the provider's own endpoints, and anything else is refused before a
 * byte is sent. The check is on the final, parsed URL, so tricks in the path (`//evil.example`,
 * backslashes, `@`, dot segments) cannot move a request to another host.
 */
import { invalidInput } from '../model/errors';
import type { ProviderDefinition } from '../../../preload/contract';

/** The definition fields whose origins count as the provider's own (besides apiBaseUrl). */
const ENDPOINT_FIELDS = ['testUrl', 'tokenUrl', 'authorizationUrl', 'revocationUrl', 'issuer'] as const;

/**
 * The API base of a provider: `apiBaseUrl`, or the origin of `testUrl`. Null when it has neither.
 *
 * Returned without a trailing slash, so `${base}/${path}` never doubles it.
 */
export function apiBaseOf(def: ProviderDefinition): string | null {
  if (def.apiBaseUrl) return def.apiBaseUrl.replace(/\/+$/, '');
  if (def.testUrl) return new URL(def.testUrl).origin;
  return null;
}

/** Every origin a connection to this provider may send its credentials to. */
export function allowedOrigins(def: ProviderDefinition): Set<string> {
  const out = new Set<string>();
  const base = apiBaseOf(def);
  if (base) out.add(new URL(base).origin);
  for (const field of ENDPOINT_FIELDS) {
    const value = def[field];
    if (!value) continue;
    try {
      out.add(new URL(value).origin);
    } catch {
      // A stored definition was validated on the way in; an unreadable one adds no origin.
    }
  }
  return out;
}

/** True for a value that names its own scheme ("https://…", "http:…"), i.e. not a path. */
function isAbsolute(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value);
}

/**
 * Resolve `pathOrUrl` for a provider and enforce the origin rule.
 *
 * A relative path is appended to the API base (`/v2` + `me` or `/me` → `/v2/me`). An absolute
 * URL must be http(s), carry no user name or password, and be on an allowed origin. Throws
 * invalid_input on field `path` with the fix otherwise.
 */
export function resolveApiUrl(def: ProviderDefinition, pathOrUrl: string): URL {
  const raw = pathOrUrl.trim();
  if (raw === '') throw invalidInput('path', "Give a path such as /me, or a full URL on the provider's API.");
  if (/[\u0000-\u001f\u007f]/.test(raw))
    throw invalidInput('path', 'The path has a control character or line break in it. Type it again on one line.');
  const base = apiBaseOf(def);
  let url: URL;
  if (isAbsolute(raw)) {
    try {
      url = new URL(raw);
    } catch {
      throw invalidInput(
        'path',
        `"${raw.slice(0, 200)}" is not a web address. Use a path such as /me, or a full https:// URL.`,
      );
    }
  } else {
    if (!base) {
      throw invalidInput(
        'path',
        `${def.name} has no API base URL and no test URL, so "${raw.slice(0, 200)}" cannot be resolved. Add "apiBaseUrl" to the provider, or give a full URL.`,
      );
    }
    // Plain string concatenation, not new URL(path, base): "//evil.example/x" resolved as a
    // reference would name another host; appended to the base it stays a path on the base's host.
    url = new URL(`${base}/${raw.replace(/^\/+/, '')}`);
  }
  checkOrigin(def, url);
  return url;
}

/** Throw invalid_input unless `url` is http(s), without credentials, on one of the provider's origins. */
export function checkOrigin(def: ProviderDefinition, url: URL): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidInput(
      'path',
      `Patchbay only sends ${def.name} credentials over https:// (you gave a ${url.protocol} address).`,
    );
  }
  if (url.username || url.password) {
    throw invalidInput(
      'path',
      'The URL has a user name or password in it. Remove the "user@" part; Patchbay sends the connection\'s own credentials.',
    );
  }
  const allowed = allowedOrigins(def);
  if (!allowed.has(url.origin)) {
    const list = [...allowed].join(', ') || 'none configured';
    throw invalidInput(
      'path',
      `Patchbay refused to send your ${def.name} credentials to ${url.origin}: it is not one of ${def.name}'s own addresses (${list}). Use a path on the API, or set "apiBaseUrl" on the provider if its API lives elsewhere.`,
    );
  }
}
