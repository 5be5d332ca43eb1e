/**
 * What a support bundle may say about a token that is a JWT: its header and claim names, and the
 * values of the few claims that explain a failure (who issued it, for whom, when it is valid,
 * which scopes it carries). Every other value is replaced, so a bundle never carries a user id,
 * an e-mail address or a session handle, let alone the token itself.
 */
import type { JwtClaimsView } from '../../../preload/contract';
import { REDACTED } from '../storage/redact';
import { providerText } from '../providers/provider-text';

/** Claims whose values are kept: they explain audience, issuer, clock and scope problems. */
export const KEPT_CLAIMS: ReadonlySet<string> = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'scope', 'azp']);
/** Header parameters whose values are kept: the algorithm and type explain "wrong kind of token". */
export const KEPT_HEADER: ReadonlySet<string> = new Set(['alg', 'typ']);

const MAX_NAMES = 100;
const MAX_NAME_CHARS = 100;
const MAX_VALUE_CHARS = 300;
const MAX_PART_CHARS = 64 * 1024;

/**
 * The header and claims view of a JWT, or null when the value is not a JWT (an opaque token).
 * Only the first two parts are decoded; the signature is never looked at or kept.
 */
export function jwtClaimsView(token: string | null | undefined): JwtClaimsView | null {
  if (!token) return null;
  const parts = token.split('.');
  if (parts.length !== 3 && parts.length !== 5) return null;
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (!header || !claims) return null;
  return { header: keepOnly(header, KEPT_HEADER), claims: keepOnly(claims, KEPT_CLAIMS) };
}

function decodePart(part: string | undefined): Record<string, unknown> | null {
  if (!part || part.length > MAX_PART_CHARS || !/^[A-Za-z0-9_-]+$/.test(part)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Names kept (cleaned, bounded); values only for `kept` names and only when plain. */
function keepOnly(source: Record<string, unknown>, kept: ReadonlySet<string>): Record<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [rawName, value] of Object.entries(source).slice(0, MAX_NAMES)) {
    const name = cleanName(rawName);
    if (name === '' || out.has(name)) continue;
    out.set(name, kept.has(name) ? plainValue(value) : REDACTED);
  }
  // fromEntries defines own properties, so a claim named "__proto__" stays a plain name.
  return Object.fromEntries(out);
}

function cleanName(name: string): string {
  return providerText(name, MAX_NAME_CHARS);
}

/** A kept claim's value when it is a number, a short string or a short list of them; else redacted. */
function plainValue(value: unknown): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return providerText(value, MAX_VALUE_CHARS);
  if (Array.isArray(value) && value.length <= 20 && value.every((v) => typeof v === 'string')) {
    return value.map((v: string) => providerText(v, MAX_VALUE_CHARS));
  }
  return REDACTED;
}
