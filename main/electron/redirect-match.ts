/**
 * Decides whether a navigation in the auth window is the OAuth callback, the provider's error
 * page, or just another page of the sign-in flow.
 *
 * Pure functions on strings so that every trick a hostile page could try (look-alike hosts,
 * userinfo, other ports, dot segments, encoded characters) is covered by unit tests and fuzzing.
 * The comparison is exact per RFC 9700 §4.1.3 and RFC 6749 §3.1.2: scheme, host, port and path
 * must be identical to the registered redirect URI; only the query may add parameters.
 */
import { PatchbayError } from '../core/model/errors';

/** What the auth window should do with one navigation. */
export type NavigationVerdict =
  { kind: 'callback'; url: URL } | { kind: 'error_page'; url: URL } | { kind: 'continue' };

/** What one authorization attempt waits for. */
export interface RedirectTarget {
  redirectUri: string;
  /** The provider's own error page (LiveChat's `/ooops?oauth_exception=`), if any. */
  errorPageUrl?: string;
}

/** Longer URLs are not a callback we would accept (and not worth parsing). */
const MAX_URL_LENGTH = 16_384;

/** Dot segments and encoded separators have no place in a callback path. */
const SUSPICIOUS_PATH = /(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\\/i;

function tryParse(raw: string): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** The raw path as written, before the WHATWG parser resolved dot segments. */
function rawPath(raw: string): string {
  const afterScheme = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = afterScheme.search(/[/\\?#]/);
  if (slash < 0 || afterScheme[slash] === '?' || afterScheme[slash] === '#') return '';
  const rest = afterScheme.slice(slash);
  const end = rest.search(/[?#]/);
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * Parse and check a redirect URI before an attempt starts.
 *
 * Throws PatchbayError invalid_input (field "redirectUri") for anything RFC 6749 §3.1.2 forbids:
 * relative URIs, fragments, userinfo. The auth window never waits for a URI it cannot match.
 */
export function parseRedirectUri(redirectUri: string): URL {
  const url = tryParse(redirectUri);
  const fail = (why: string) =>
    new PatchbayError(
      'invalid_input',
      `The redirect URI ${why}. Use an absolute URI such as patchbay://oauth/callback.`,
      {
        field: 'redirectUri',
      },
    );
  if (!url) throw fail('is not a valid absolute URI');
  if (url.hash !== '' || redirectUri.includes('#')) throw fail('must not contain a fragment (#)');
  if (url.username !== '' || url.password !== '') throw fail('must not contain a user name or password');
  if (SUSPICIOUS_PATH.test(rawPath(redirectUri)))
    throw fail('must not contain "..", "." or encoded slashes in its path');
  return url;
}

function sameEndpoint(candidate: URL, expected: URL, candidateRaw: string): boolean {
  if (candidate.protocol.toLowerCase() !== expected.protocol.toLowerCase()) return false;
  if (candidate.username !== '' || candidate.password !== '') return false;
  if (candidate.hostname.toLowerCase() !== expected.hostname.toLowerCase()) return false;
  if (candidate.port !== expected.port) return false;
  if (SUSPICIOUS_PATH.test(rawPath(candidateRaw))) return false;
  return candidate.pathname === expected.pathname;
}

/** Every query parameter of the registered URI must come back unchanged. */
function keepsRegisteredQuery(candidate: URL, expected: URL): boolean {
  for (const [name, value] of expected.searchParams) {
    if (candidate.searchParams.getAll(name).length !== 1 || candidate.searchParams.get(name) !== value) return false;
  }
  return true;
}

/**
 * True when `candidate` is a navigation to exactly the registered redirect URI.
 *
 * Case is ignored only where RFC 3986 says it does not matter (scheme and host); the port is
 * compared after default-port normalisation (https://x:443 equals https://x); paths must be
 * byte-identical and free of dot segments or encoded separators.
 */
export function matchesRedirectUri(candidate: string, redirectUri: string): boolean {
  const expected = tryParse(redirectUri);
  const actual = tryParse(candidate);
  if (!expected || !actual) return false;
  return sameEndpoint(actual, expected, candidate) && keepsRegisteredQuery(actual, expected);
}

/**
 * True when `candidate` is the provider's error page: same origin and path as `errorPageUrl`,
 * with every query parameter name it lists present (e.g. `oauth_exception`).
 */
export function matchesErrorPage(candidate: string, errorPageUrl: string): boolean {
  const expected = tryParse(errorPageUrl);
  const actual = tryParse(candidate);
  if (!expected || !actual) return false;
  if (!sameEndpoint(actual, expected, candidate)) return false;
  for (const name of expected.searchParams.keys()) {
    if (!actual.searchParams.has(name)) return false;
  }
  return true;
}

/**
 * Classify one navigation of the auth window.
 *
 * The returned URL has its fragment removed: the authorization response of the code flow is in
 * the query, and nothing after `#` is passed on to the core.
 */
export function classifyNavigation(candidate: string, target: RedirectTarget): NavigationVerdict {
  if (matchesRedirectUri(candidate, target.redirectUri)) return { kind: 'callback', url: withoutFragment(candidate) };
  if (target.errorPageUrl && matchesErrorPage(candidate, target.errorPageUrl)) {
    return { kind: 'error_page', url: withoutFragment(candidate) };
  }
  return { kind: 'continue' };
}

function withoutFragment(raw: string): URL {
  const url = new URL(raw);
  url.hash = '';
  return url;
}

/** The scheme of a redirect URI without the colon ("patchbay", "https", "http"). */
export function schemeOf(redirectUri: string): string {
  return parseRedirectUri(redirectUri).protocol.replace(/:$/, '').toLowerCase();
}
