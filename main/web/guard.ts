/**
 * Who may talk to the web host: the launch key, the Host header and the Origin header.
 *
 * The web host listens on loopback, but every page and program on the machine can reach
 * loopback. Three checks keep them out: a random per-launch key (only the page opened from the
 * printed URL has it), the Host header (a DNS-rebinding page sends its own host name) and the
 * Origin header (a foreign page's fetch carries its own origin). A failed check gets a bare 403.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { KEY_HEADER, KEY_QUERY } from '../../preload/web-transport';

/** A fresh launch key: 32 random bytes, base64url (43 characters, safe in a URL fragment). */
export function createLaunchKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compare a presented key with the launch key in constant time.
 *
 * Both sides are hashed first so that the comparison takes the same time whatever the length of
 * the presented value.
 */
export function keyMatches(presented: string | null | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 512) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The host names this server answers to, with its real port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** True when the Host header names this server (DNS-rebinding defence). */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && allowedHosts(port).includes(host.toLowerCase());
}

/**
 * True when the Origin header is absent (allowed only when `required` is false) or equals the
 * origin the request was addressed to.
 */
export function originAllowed(req: IncomingMessage, port: number, required: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return !required;
  const host = (req.headers.host ?? '').toLowerCase();
  return allowedHosts(port).includes(host) && origin.toLowerCase() === `http://${host}`;
}

/**
 * The launch key a request presents.
 *
 * Invoke requests carry it only in the header: a key in a POST's query would land in logs and
 * history, so it is not looked at. The event stream takes the query parameter first, because
 * EventSource cannot set headers, and the header otherwise.
 */
export function presentedKey(req: IncomingMessage, url: URL, route: 'invoke' | 'events'): string | null {
  const raw = req.headers[KEY_HEADER.toLowerCase()];
  const header = typeof raw === 'string' ? raw : null;
  if (route === 'invoke') return header;
  return url.searchParams.get(KEY_QUERY) ?? header;
}
