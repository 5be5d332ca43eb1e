/**
 * The client credentials grant (RFC 6749 §4.4), on oauth4webapi: machine-to-machine tokens.
 *
 * Nobody signs in: the app's own client ID and secret buy the token. There is no refresh token
 * (RFC 6749 §4.4.3 says one should not be issued), so "renewing" such a connection means asking
 * again with the same credentials; refresh.ts does that through this function too.
 */
import * as oauth from 'oauth4webapi';
import { PatchbayError } from '../model/errors';
import type { HttpContext } from '../providers/provider-http';
import type { TokenSet } from '../model/types';
import type { ProviderDefinition } from '../../../preload/contract';
import {
  authorizationServer,
  clientAuthFor,
  mapTokenError,
  requestOptions,
  toTokenSet,
  type OAuthClient,
} from './authorization-code';
import { invalidClient } from './quirks';

/** True when a connection of `def` renews by asking again with the client's own credentials. */
export function renewsByClientCredentials(def: ProviderDefinition): boolean {
  return def.auth === 'oauth2' && def.grant === 'client_credentials';
}

/**
 * The client secret a client-credentials connect needs, or an error naming it.
 *
 * Checked before any request: without it the token endpoint could only say "invalid_client",
 * which does not tell the person that the secret was never entered.
 */
export function requireClientSecret(def: ProviderDefinition, client: OAuthClient): void {
  if (client.clientSecret) return;
  throw new PatchbayError(
    'invalid_input',
    `${def.name} connects with your app's client ID and client secret, and no client secret is saved yet. {setup}, including the client secret.`,
    { field: 'clientSecret' },
  );
}

/** Ask the token endpoint for a token with the client's ID and secret. */
export async function clientCredentialsToken(
  ctx: HttpContext,
  def: ProviderDefinition,
  client: OAuthClient,
): Promise<TokenSet> {
  requireClientSecret(def, client);
  const as = authorizationServer(def);
  const c: oauth.Client = { client_id: client.clientId };
  const params = new URLSearchParams();
  if (def.scopes && def.scopes.length > 0) params.set('scope', def.scopes.join(def.scopeSeparator ?? ' '));
  try {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      c,
      clientAuthFor(def, client),
      params,
      requestOptions(ctx, def, 'token', def.tokenUrl),
    );
    return toTokenSet(await oauth.processClientCredentialsResponse(as, c, response), ctx, def);
  } catch (error) {
    const mapped = mapTokenError(def, error, 'exchange');
    // Here the secret is the only thing that signs in, so a refusal names it.
    if (mapped.code === 'invalid_client' || mapped.code === 'invalid_grant') secretRefused(def, mapped.httpStatus);
    throw mapped;
  }
}

function secretRefused(def: ProviderDefinition, httpStatus: number | undefined): never {
  const base = invalidClient(def, httpStatus);
  throw new PatchbayError(
    base.code,
    `${def.name} did not accept the client ID and client secret, so no token was issued. The client secret (or the client ID) is wrong: {setup} again with the right ones.`,
    { field: 'clientSecret', ...(base.httpStatus === undefined ? {} : { httpStatus: base.httpStatus }) },
  );
}
