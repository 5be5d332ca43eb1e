/**
 * Bounds on what a provider's token answer may make Patchbay store.
 *
 * A token answer is provider-controlled input. Unbounded, `expires_in: 1e300` became a date that
 * cannot be written (a failure after the tokens were issued), 110,000 scopes made a 1.6 MB
 * settings file and a keychain entry of hundreds of chunks, and a 900 KB access token took ten
 * seconds of keychain writes. Every number is clamped with a trace note, lists are cut with a
 * notice the person sees, and a token too large to be real is refused (the caller revokes it).
 */
import { PatchbayError } from '../model/errors';
import type { TokenSet } from '../model/types';
import { providerText } from '../providers/provider-text';
import { splitScopes } from './quirks';
import type { TraceSink } from '../providers/provider-http';
import type { ProviderDefinition } from '../../../preload/contract';

/** Longest access lifetime believed (one year); longer answers are stored as one year. */
export const MAX_EXPIRES_IN_SECONDS = 365 * 24 * 3600;
/** Largest token kept, in characters (real JWTs with many claims stay well below this). */
export const MAX_TOKEN_CHARS = 32 * 1024;
/** Most scopes kept per connection, and the longest scope kept. */
export const MAX_SCOPES = 200;
export const MAX_SCOPE_CHARS = 200;

/**
 * Seconds of access lifetime to believe: positive and finite, at most one year. Returns
 * undefined for an answer without a usable lifetime (0, negative, not a number).
 */
export function boundExpiresIn(value: unknown, trace: TraceSink | undefined, providerName: string): number | undefined {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) return undefined;
  if (value <= MAX_EXPIRES_IN_SECONDS) return value;
  trace?.add({
    step: 'token_answer',
    detail: `${providerName} said the access lasts ${value > 1e15 ? 'practically forever' : `${Math.round(value)} seconds`}; Patchbay keeps it as one year.`,
    ok: true,
  });
  return MAX_EXPIRES_IN_SECONDS;
}

function sizeWords(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.round(chars / 1024)} KB`;
}

/** A token set within the bounds, and the sentences that say what was cut. */
export interface BoundedTokens {
  tokens: TokenSet;
  notices: string[];
}

/**
 * Check a fresh token set against the bounds before anything is stored.
 *
 * Throws provider_error (nothing is stored; the caller revokes what was issued) for a token larger
 * than MAX_TOKEN_CHARS. Cuts the scope list to MAX_SCOPES cleaned scopes of at most
 * MAX_SCOPE_CHARS and returns a notice saying so.
 */
export function boundTokenSet(def: ProviderDefinition, tokens: TokenSet): BoundedTokens {
  const kinds: Array<[string, string | undefined]> = [
    ['access token', tokens.accessToken],
    ['refresh token', tokens.refreshToken],
    ['ID token', tokens.idToken],
  ];
  for (const [kind, value] of kinds) {
    if (value !== undefined && value.length > MAX_TOKEN_CHARS) {
      throw new PatchbayError(
        'provider_error',
        `${def.name} issued an ${kind === 'access token' ? 'access token' : kind} of ${sizeWords(value.length)}; Patchbay keeps tokens of up to ${MAX_TOKEN_CHARS / 1024} KB, so it did not save this connection. Check the Token URL in Set up, or ask ${def.name} why its tokens are this large.`,
      );
    }
  }
  const notices: string[] = [];
  if (tokens.scope === undefined) return { tokens, notices };
  const all = splitScopes(tokens.scope);
  const kept: string[] = [];
  for (const raw of all) {
    if (kept.length >= MAX_SCOPES) break;
    const clean = providerText(raw, MAX_SCOPE_CHARS + 1).replace(/ /g, '');
    if (clean !== '' && clean.length <= MAX_SCOPE_CHARS) kept.push(clean);
  }
  if (kept.length < all.length) {
    notices.push(
      `${def.name} granted ${all.length.toLocaleString('en-US')} scopes; Patchbay kept the first ${kept.length} (at most ${MAX_SCOPES}, each up to ${MAX_SCOPE_CHARS} characters).`,
    );
  }
  return { tokens: { ...tokens, scope: kept.join(' ') }, notices };
}
