/**
 * Account names without configuration: a label from common identity fields.
 *
 * Most "who am I" answers name the account in one of a few well-known fields, at the top or one
 * level down (`{"data": {"email": …}}`, `{"user": {"login": …}}`). When a definition has no
 * `labelPath`, these are tried in the documented order. OpenID Connect providers also name the
 * account in the ID token's standard claims (OpenID Connect Core 1.0 §5.1: `name`, `email`,
 * `preferred_username`). Whatever a provider sends is hostile: labels are cut to one line of at
 * most 120 characters with control and formatting characters removed.
 */
import { providerText } from './provider-text';

/** Identity fields tried in order, first at the top of the answer, then under each container. */
export const IDENTITY_FIELDS = [
  'name',
  'display_name',
  'displayName',
  'email',
  'login',
  'username',
  'preferred_username',
] as const;
/** Objects one level down that commonly hold the account (`data.*`, `user.*`, `account.*`, …). */
export const IDENTITY_CONTAINERS = ['data', 'user', 'account', 'me', 'profile', 'result'] as const;
/** ID token claims tried in order (OpenID Connect Core 1.0 §5.1). */
export const ID_TOKEN_CLAIMS = ['name', 'email', 'preferred_username'] as const;
/** The longest label kept. */
export const MAX_LABEL_LENGTH = 120;

/**
 * A label safe to show and store: one line, no control or invisible formatting characters,
 * whitespace runs collapsed, at most MAX_LABEL_LENGTH characters. Null when nothing is left.
 */
export function cleanLabel(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  // Whole escape sequences go, not just their ESC byte (providerText), then any other format character.
  const line = providerText(value, 10_000)
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (line === '') return null;
  return [...line].slice(0, MAX_LABEL_LENGTH).join('').trim();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function firstField(node: Record<string, unknown>): string | null {
  for (const field of IDENTITY_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(node, field)) continue;
    const label = typeof node[field] === 'string' ? cleanLabel(node[field]) : null;
    if (label) return label;
  }
  return null;
}

/** The account name in a "who am I" answer by the documented fields, or null. */
export function guessLabel(json: unknown): string | null {
  if (!isRecord(json)) return null;
  const top = firstField(json);
  if (top) return top;
  for (const container of IDENTITY_CONTAINERS) {
    const inner = Object.prototype.hasOwnProperty.call(json, container) ? json[container] : undefined;
    if (isRecord(inner)) {
      const found = firstField(inner);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The account name from an ID token's claims, or null.
 *
 * The signature is not checked: the token came straight from the token endpoint over the
 * connection Patchbay opened (OpenID Connect Core 1.0 §3.1.3.7 allows TLS server validation in
 * place of the signature check there), and it only names the connection, never authorises.
 */
export function labelFromIdToken(idToken: string | undefined): string | null {
  if (!idToken || idToken.length > 16_384) return null;
  const parts = idToken.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
  if (!isRecord(claims)) return null;
  for (const claim of ID_TOKEN_CLAIMS) {
    const label = typeof claims[claim] === 'string' ? cleanLabel(claims[claim]) : null;
    if (label) return label;
  }
  return null;
}
