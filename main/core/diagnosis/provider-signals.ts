/**
 * Facts a diagnosis needs, read from a provider's answer: its clock, its OAuth error name, the
 * scope a 403 asked for, why a request got no answer.
 *
 * Everything here reads hostile input (a provider's headers and body), so every reader is
 * bounded, keeps only characters its value may have, and gives `undefined` rather than guess.
 * providerFetch records what these return on the request's trace line, so the app, the CLI and
 * support bundles all diagnose from the same saved facts.
 */

/** Headers longer than this are not read at all (a real Date or WWW-Authenticate is far shorter). */
const MAX_HEADER_CHARS = 1024;
/** A skew beyond this (about ten years) is a broken header, not a clock. */
const MAX_SKEW_SECONDS = 10 * 365 * 24 * 3600;
/** OAuth error names are ASCII words (RFC 6749 §5.2 limits them to %x20-21 / %x23-5B / %x5D-7E). */
const ERROR_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Scope tokens per RFC 6749 §3.3 (no quote, no backslash, no control characters), space separated. */
const SCOPE_VALUE = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/;
const MAX_SCOPE_CHARS = 300;

/**
 * The provider's clock minus this computer's, in whole seconds, from its `Date` header.
 *
 * The header has one-second resolution and is stamped somewhere between sending and receiving,
 * so it is compared with the middle of the request; a skew within the request's own duration
 * (plus the header's second) is reported as 0. Undefined when the header is missing, too long,
 * unreadable or absurd.
 */
export function measureClockSkew(dateHeader: string | null, sentAt: number, receivedAt: number): number | undefined {
  if (dateHeader === null || dateHeader.length === 0 || dateHeader.length > 64) return undefined;
  if (!/^[\x20-\x7E]+$/.test(dateHeader)) return undefined;
  const providerTime = Date.parse(dateHeader);
  if (Number.isNaN(providerTime)) return undefined;
  const middle = (sentAt + receivedAt) / 2;
  const slack = (receivedAt - sentAt) / 2 + 1000;
  const diff = providerTime - middle;
  if (Math.abs(diff) <= slack) return 0;
  const seconds = Math.round(diff / 1000);
  return Math.abs(seconds) > MAX_SKEW_SECONDS ? undefined : seconds;
}

/** The OAuth `error` of a JSON error body, when it is a plausible error name. */
export function oauthErrorOf(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const error = (json as Record<string, unknown>).error;
  return typeof error === 'string' && ERROR_NAME.test(error) ? error : undefined;
}

/** A callback's `error` parameter, when it is a plausible error name. */
export function callbackErrorOf(callback: URL): string | undefined {
  const error = callback.searchParams.get('error');
  return error !== null && ERROR_NAME.test(error) ? error : undefined;
}

/** What a Bearer challenge (RFC 6750 §3) said: its error name and the scope it asked for. */
export interface BearerChallenge {
  error?: string;
  scope?: string;
}

/**
 * Read `error` and `scope` from a `WWW-Authenticate: Bearer …` header.
 *
 * oauth4webapi parses challenges internally but does not export the parser, so this reads the
 * two auth-params a diagnosis needs and nothing else. Quoted and token forms are accepted; a
 * value with characters RFC 6749 does not allow in it is dropped, never repaired.
 */
export function bearerChallengeOf(header: string | null): BearerChallenge {
  if (header === null || header.length > MAX_HEADER_CHARS) return {};
  const bearer = /(?:^|,\s*)Bearer(?:\s+|$)(.*)$/i.exec(header);
  if (!bearer) return {};
  const out: BearerChallenge = {};
  const params = bearer[1] ?? '';
  const error = authParam(params, 'error');
  if (error !== undefined && ERROR_NAME.test(error)) out.error = error;
  const scope = authParam(params, 'scope')?.trim().replace(/\s+/g, ' ');
  if (scope !== undefined && scope.length <= MAX_SCOPE_CHARS && SCOPE_VALUE.test(scope)) out.scope = scope;
  return out;
}

/** One auth-param's value (`name="value"` or `name=token`), the first occurrence only. */
function authParam(params: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|[\\s,])${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s,"]+))`, 'i');
  const m = re.exec(params);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

/** Transport error codes that mean the secure connection (TLS) itself failed. */
const TLS_CODES =
  /^(CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;

/** True for a transport error name that is a TLS (certificate or handshake) failure. */
export function isTlsError(code: string): boolean {
  return TLS_CODES.test(code);
}

/**
 * The error name of a failed fetch (undici puts the socket's error in `cause`), e.g.
 * `ECONNREFUSED` or `CERT_HAS_EXPIRED`. Only the name is kept: messages can carry addresses.
 */
export function transportErrorOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code) && code !== 'ABORT_ERR') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
