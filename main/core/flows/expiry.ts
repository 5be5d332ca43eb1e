/**
 * When an access token counts as due for renewal.
 *
 * Kept apart from refresh.ts (which loads the OAuth client and the file lock) so code that only
 * has to decide whether a refresh is needed, such as `patchbay exec` with a valid token, loads
 * nothing else.
 */
import type { TokenSet } from '../model/types';

/** Refresh this long before expiry when a token is about to be used. */
export const REFRESH_AHEAD_MS = 60_000;

/** True when a token set expires within `marginMs` of `now` (never for tokens without expiry). */
export function expiresWithin(tokens: Pick<TokenSet, 'expiresAt'>, now: number, marginMs: number): boolean {
  return tokens.expiresAt !== undefined && tokens.expiresAt - now <= marginMs;
}
