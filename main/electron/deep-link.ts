/**
 * Parses `patchbay://oauth/callback?...` links handed to the app by the operating system.
 *
 * They arrive from outside the app: macOS's `open-url`, the command line of a second instance
 * (Windows, Linux) and the first launch's own argv. Anything on the machine can open such a link,
 * so only the exact callback endpoint is accepted, never a flag or another path, and the parser
 * throws nothing but PatchbayError invalid_input. Whether `state` is present and right is the
 * core's decision (it knows the pending attempt); the parser leaves the query untouched.
 */
import { PatchbayError } from '../core/model/errors';

/** The private-use URI scheme (RFC 8252 §7.1). See index.ts for why it is not reverse-domain. */
export const DEEP_LINK_SCHEME = 'patchbay';
/** The one deep link Patchbay answers: the OAuth callback. */
export const DEEP_LINK_CALLBACK = `${DEEP_LINK_SCHEME}://oauth/callback`;

const CALLBACK_HOST = 'oauth';
const CALLBACK_PATH = '/callback';
/** Longer links are refused unread (a real callback is well under 4 KB). */
export const MAX_DEEP_LINK_LENGTH = 8_192;

function refuse(why: string): PatchbayError {
  return new PatchbayError(
    'invalid_input',
    `Patchbay ignored a link it was asked to open because ${why}. Start the connection again from Patchbay.`,
    { field: 'url' },
  );
}

/** True when an argv entry or URL string is meant for this scheme (case-insensitive). */
export function looksLikeDeepLink(value: unknown): value is string {
  return (
    typeof value === 'string' && value.slice(0, DEEP_LINK_SCHEME.length + 1).toLowerCase() === `${DEEP_LINK_SCHEME}:`
  );
}

/**
 * Parse one deep link and return it as a URL without fragment.
 *
 * Accepts only `patchbay://oauth/callback` with an optional query; rejects other hosts and paths,
 * user names, ports, encoded or dot-segment paths, control characters and oversized links.
 */
export function parseDeepLink(raw: unknown): URL {
  if (typeof raw !== 'string') throw refuse('it was not text');
  if (raw.length > MAX_DEEP_LINK_LENGTH) throw refuse('it was too long');
  if (/[\u0000-\u001f\u007f\s]/.test(raw)) throw refuse('it contained spaces or control characters');
  if (!looksLikeDeepLink(raw)) throw refuse(`it was not a ${DEEP_LINK_SCHEME}: link`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('it was not a valid link');
  }
  if (!raw.slice(DEEP_LINK_SCHEME.length + 1).startsWith('//')) throw refuse('it was not a valid link');
  if (url.username !== '' || url.password !== '' || url.port !== '') throw refuse('it named a user or a port');
  if (url.hostname.toLowerCase() !== CALLBACK_HOST) throw refuse('it was not a sign-in callback');
  const rawPath = raw.slice(`${DEEP_LINK_SCHEME}://`.length).replace(/[?#].*$/, '');
  if (rawPath.toLowerCase() !== `${CALLBACK_HOST}${CALLBACK_PATH}` || url.pathname !== CALLBACK_PATH) {
    throw refuse('it was not a sign-in callback');
  }
  url.hash = '';
  return url;
}

/**
 * Find the callback links in a command line (first launch or `second-instance`).
 *
 * Non-link arguments are ignored (Chromium switches, the app path); malformed `patchbay:` links
 * are reported through `onRejected` and skipped, so one bad argument never blocks a good one.
 */
export function deepLinksFromArgv(argv: readonly unknown[], onRejected?: (error: PatchbayError) => void): URL[] {
  const found: URL[] = [];
  if (!Array.isArray(argv)) return found;
  for (const arg of argv) {
    if (!looksLikeDeepLink(arg)) continue;
    try {
      found.push(parseDeepLink(arg));
    } catch (error) {
      if (error instanceof PatchbayError) onRejected?.(error);
      else onRejected?.(refuse('it could not be read'));
    }
  }
  return found;
}
