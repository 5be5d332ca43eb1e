/**
 * Network failures a person can fix, in plain words: a proxy that wants a sign-in, a proxy that
 * cannot be reached, a certificate this computer does not trust.
 *
 * Node's fetch (undici) and Chromium's (Electron's net.fetch) report these differently: undici
 * wraps an error with a `code` (UNABLE_TO_VERIFY_LEAF_SIGNATURE, ECONNREFUSED) or a message
 * ("Proxy response (407) !== 200 when HTTP Tunneling") in `cause`; Chromium's message names a
 * net error (net::ERR_CERT_AUTHORITY_INVALID, net::ERR_PROXY_CONNECTION_FAILED). Both are read
 * here, so every host gets the same sentences. A proxy address is only ever shown redacted.
 */
import { PatchbayError } from '../model/errors';
import { redactProxyUrl } from './network-plan';

/** TLS errors that mean "no trusted authority vouches for this certificate". */
const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'ERR_CERT_AUTHORITY_INVALID',
]);
const EXPIRED_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_CERT_DATE_INVALID']);
const WRONG_NAME_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_CERT_COMMON_NAME_INVALID']);
/** Socket errors that, when a proxy is in use, can only be about the proxy (the target is never dialled). */
const DIAL_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);
/** Chromium's words for "the proxy itself failed". */
const CHROMIUM_PROXY_DOWN = new Set([
  'ERR_PROXY_CONNECTION_FAILED',
  'ERR_NAME_NOT_RESOLVED_FOR_PROXY',
  'ERR_PROXY_CERTIFICATE_INVALID',
]);

/** Every `code` and message along an error's cause chain (AggregateError members too), bounded. */
function clues(error: unknown): { codes: Set<string>; messages: string[] } {
  const codes = new Set<string>();
  const messages: string[] = [];
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 20; seen += 1) {
    const item = queue.shift();
    if (item === null || typeof item !== 'object') continue;
    const record = item as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string') codes.add(record.code);
    if (typeof record.message === 'string') {
      messages.push(record.message.slice(0, 500));
      for (const m of record.message.matchAll(/net::(ERR_[A-Z_]+)/g)) codes.add(m[1]!);
    }
    if (record.cause !== undefined) queue.push(record.cause);
    if (Array.isArray(record.errors)) queue.push(...record.errors.slice(0, 5));
  }
  return { codes, messages };
}

const has = (codes: Set<string>, set: Set<string>): boolean => [...codes].some((c) => set.has(c));

/**
 * The plain-words error for a failed request to `target`, or null when it is not a network
 * problem these sentences cover (the caller keeps its own "couldn't reach" sentence).
 *
 * `proxy` is the proxy the request went through (null: direct, or unknown as with a system proxy).
 */
export function describeNetworkFailure(error: unknown, target: URL, proxy: string | null): PatchbayError | null {
  const { codes, messages } = clues(error);
  const host = target.hostname;
  const shownProxy = proxy ? redactProxyUrl(proxy) : 'the proxy';
  const status = messages.map((m) => /Proxy response \((\d{3})\)/.exec(m)?.[1]).find((s) => s !== undefined);
  if (status === '407' || codes.has('ERR_PROXY_AUTH_UNSUPPORTED') || codes.has('ERR_PROXY_AUTH_REQUESTED')) {
    return new PatchbayError(
      'network',
      "Your network's proxy refused the connection (HTTP 407): check the proxy address and sign-in in Settings.",
      { httpStatus: 407, cause: error },
    );
  }
  if (status !== undefined || codes.has('ERR_TUNNEL_CONNECTION_FAILED')) {
    const code = status === undefined ? '' : ` (HTTP ${status})`;
    return new PatchbayError(
      'network',
      `Your network's proxy (${shownProxy}) would not connect Patchbay to ${host}${code}. The proxy may block this address: ask your IT team, or check the proxy address in Settings > Network.`,
      { cause: error },
    );
  }
  if (has(codes, UNTRUSTED_CODES)) {
    return new PatchbayError(
      'network',
      `The security certificate of ${host} is not trusted on this computer: if your company uses its own certificate authority, add it in Settings > Network (or name its PEM file in PATCHBAY_CA_FILE).`,
      { cause: error },
    );
  }
  if (has(codes, EXPIRED_CODES)) {
    return new PatchbayError(
      'network',
      `The security certificate of ${host} has expired or is not valid yet, so Patchbay did not connect. Check the computer's date and time; otherwise the provider must renew its certificate.`,
      { cause: error },
    );
  }
  if (has(codes, WRONG_NAME_CODES)) {
    return new PatchbayError(
      'network',
      `The security certificate of ${host} is for another address, so Patchbay did not connect. Check the provider's address in Set up.`,
      { cause: error },
    );
  }
  if (has(codes, CHROMIUM_PROXY_DOWN) || (proxy !== null && has(codes, DIAL_CODES))) {
    return new PatchbayError(
      'network',
      `Patchbay couldn't reach your network's proxy (${shownProxy}). Check the proxy address in Settings > Network (or HTTPS_PROXY), or ask your IT team whether it has changed.`,
      { cause: error },
    );
  }
  return null;
}
