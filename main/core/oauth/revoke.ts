/**
 * Revocation on disconnect: RFC 7009, or LiveChat's own DELETE style.
 *
 * RFC 7009 revokes the refresh token first (it usually takes the access tokens with it), then the
 * access token, each with a token_type_hint and the provider's client authentication. LiveChat
 * wants `DELETE /v2/token` with the access token as a Bearer credential.
 */
import * as oauth from 'oauth4webapi';
import { PatchbayError } from '../model/errors';
import { providerFetch, type HttpContext } from '../providers/provider-http';
import {
  authorizationServer,
  clientAuthFor,
  mapTokenError,
  requestOptions,
  type OAuthClient,
} from './authorization-code';
import type { TokenSet } from '../model/types';
import type { ProviderDefinition } from '../../../preload/contract';

export type RevokeOutcome = 'revoked' | 'not_supported';

/**
 * Revoke a token set at the provider.
 *
 * Resolves 'not_supported' when the definition has no revocation URL. Throws the first failure
 * after trying every token, so one refused token does not stop the other being revoked.
 */
export async function revokeTokens(
  ctx: HttpContext,
  def: ProviderDefinition,
  client: OAuthClient,
  tokens: TokenSet,
): Promise<RevokeOutcome> {
  const style = def.revocationStyle ?? (def.revocationUrl ? 'rfc7009' : 'none');
  if (style === 'none' || !def.revocationUrl) return 'not_supported';
  if (style === 'livechat-delete') {
    const res = await providerFetch(ctx, {
      url: def.revocationUrl,
      method: 'DELETE',
      headers: { Authorization: `Bearer ${tokens.accessToken}` },
      step: 'revocation_request',
    });
    if (res.status >= 200 && res.status < 300) return 'revoked';
    throw refused(def, res.status);
  }
  const as = authorizationServer(def);
  const c: oauth.Client = { client_id: client.clientId };
  const auth = clientAuthFor(def, client);
  const order: Array<[string, string | undefined]> = [
    ['refresh_token', tokens.refreshToken],
    ['access_token', tokens.accessToken],
  ];
  let firstError: PatchbayError | null = null;
  for (const [hint, token] of order) {
    if (!token) continue;
    try {
      const res = await oauth.revocationRequest(as, c, auth, token, {
        additionalParameters: { token_type_hint: hint },
        ...requestOptions(ctx, def, 'revocation', def.revocationUrl),
      });
      await oauth.processRevocationResponse(res);
    } catch (error) {
      const mapped =
        error instanceof oauth.OperationProcessingError
          ? refused(def, undefined, error)
          : mapTokenError(def, error, 'refresh');
      firstError ??= mapped;
    }
  }
  if (firstError) throw firstError;
  return 'revoked';
}

function refused(def: ProviderDefinition, httpStatus?: number, cause?: unknown): PatchbayError {
  return new PatchbayError(
    'provider_error',
    `${def.name} did not confirm that it revoked the connection${httpStatus ? ` (HTTP ${httpStatus})` : ''}. You can remove Patchbay's access in your ${def.name} account settings.`,
    { ...(httpStatus === undefined ? {} : { httpStatus }), ...(cause === undefined ? {} : { cause }) },
  );
}
