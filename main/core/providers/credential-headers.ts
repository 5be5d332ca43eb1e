/**
 * The header that carries a connection's credential to the provider's API.
 *
 * Kept apart from who-am-i.ts (the test call, which needs the HTTP stack) so that `patchbay exec`
 * and `token`, which only hand the credential on, load nothing of it.
 */
import type { TokenSet } from '../model/types';
import type { ProviderDefinition } from '../../../preload/contract';

/** The header that carries an API key, as the definition says (default `Authorization: Bearer <key>`). */
export function apiKeyHeaders(def: ProviderDefinition, apiKey: string): Record<string, string> {
  const header = def.apiKeyHeader ?? 'Authorization';
  const prefix = def.apiKeyPrefix ?? (header.toLowerCase() === 'authorization' ? 'Bearer ' : '');
  return { [header]: `${prefix}${apiKey}` };
}

/** The header that carries an OAuth access token (always the Bearer scheme, RFC 6750). */
export function bearerHeaders(tokens: TokenSet): Record<string, string> {
  return { Authorization: `Bearer ${tokens.accessToken}` };
}
