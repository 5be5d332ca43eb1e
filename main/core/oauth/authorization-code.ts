/**
 * The OAuth 2.0 authorization-code engine, on oauth4webapi.
 *
 * Stateless request/response pairs over the provider definition: build the authorization URL
 * (state, PKCE S256), validate the callback (state, iss, error), exchange the code once, refresh.
 * The library does the protocol checks; quirks.ts absorbs real-world answers; this module maps
 * every outcome to a PatchbayError code with a sentence for people.
 */
import * as oauth from 'oauth4webapi';
import { PatchbayError } from '../model/errors';
import { isLoopbackUrl, type HttpContext } from '../providers/provider-http';
import { isReservedParam } from '../providers/provider-schema';
import { createOAuthFetch, invalidClient, type EndpointKind } from './quirks';
import { boundExpiresIn } from './token-bounds';
import type { TokenSet } from '../model/types';
import type { ProviderDefinition } from '../../../preload/contract';

/** Client credentials for one provider; the secret is null for public clients. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string | null;
}

/** What the flow keeps in memory between the authorization URL and the callback. */
export interface AuthorizationRequest {
  url: URL;
  state: string;
  /** null when the provider definition turns PKCE off. */
  codeVerifier: string | null;
  redirectUri: string;
}

/**
 * Plain HTTP is only allowed to this machine (the Sandbox, local test servers). The provider
 * schema already rejects http:// for anything else; this keeps oauth4webapi's HTTPS check on for
 * every other host.
 */
const allowHttpOnlyForLoopback = (url: string | undefined): boolean => url !== undefined && isLoopbackUrl(url);

/**
 * Without a configured issuer there is nothing to compare a callback's `iss` with, so it is
 * ignored rather than compared against a made-up value. With `definition.issuer` set, `iss` is
 * required and must match (RFC 9207).
 */
const IGNORE_ISS_WITHOUT_CONFIGURED_ISSUER = true;

/** oauth4webapi's view of the provider, built from the definition (no discovery). */
export function authorizationServer(def: ProviderDefinition): oauth.AuthorizationServer {
  const fallbackIssuer = new URL(def.tokenUrl ?? def.authorizationUrl ?? 'https://invalid.example').origin;
  return {
    issuer: def.issuer ?? fallbackIssuer,
    authorization_endpoint: def.authorizationUrl,
    token_endpoint: def.tokenUrl,
    device_authorization_endpoint: def.deviceAuthorizationUrl,
    revocation_endpoint: def.revocationUrl,
    authorization_response_iss_parameter_supported: def.issuer !== undefined,
  };
}

/** Client authentication as the definition says (client_secret_post by default). */
export function clientAuthFor(def: ProviderDefinition, client: OAuthClient): oauth.ClientAuth {
  const method = def.tokenAuthMethod ?? 'client_secret_post';
  if (method === 'none') return oauth.None();
  if (!client.clientSecret) {
    throw new PatchbayError('invalid_input', `${def.name} needs a client secret. {setup}.`, { field: 'clientSecret' });
  }
  return method === 'client_secret_basic'
    ? oauth.ClientSecretBasic(client.clientSecret)
    : oauth.ClientSecretPost(client.clientSecret);
}

/** Options for one oauth4webapi call: our fetch hook, and HTTP only for loopback. */
export function requestOptions(ctx: HttpContext, def: ProviderDefinition, kind: EndpointKind, url: string | undefined) {
  return {
    [oauth.customFetch]: createOAuthFetch(ctx, def, kind),
    [oauth.allowInsecureRequests]: allowHttpOnlyForLoopback(url),
  };
}

/** Step 1: the authorization URL with state, PKCE S256 and the provider's extra parameters. */
export async function buildAuthorizationRequest(
  def: ProviderDefinition,
  clientId: string,
  redirectUri: string,
): Promise<AuthorizationRequest> {
  if (!def.authorizationUrl) {
    throw new PatchbayError('invalid_input', `${def.name} has no authorization URL. Add it in Set up.`, {
      field: 'authorizationUrl',
    });
  }
  const url = new URL(def.authorizationUrl);
  for (const [key, value] of Object.entries(def.extraAuthorizeParams ?? {})) {
    // The schema refuses these already; a stored definition from an older build is not trusted.
    if (!isReservedParam(key)) url.searchParams.set(key, value);
  }
  const state = oauth.generateRandomState();
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  if (def.scopes && def.scopes.length > 0) url.searchParams.set('scope', def.scopes.join(def.scopeSeparator ?? ' '));
  url.searchParams.set('state', state);
  let codeVerifier: string | null = null;
  if (def.pkce !== false) {
    codeVerifier = oauth.generateRandomCodeVerifier();
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    // The challenge is always S256; only the spelling of the method name follows the provider.
    url.searchParams.set('code_challenge_method', def.pkceMethodName ?? 'S256');
  }
  return { url, state, codeVerifier, redirectUri };
}

/**
 * Step 3: validate the callback before any token request.
 *
 * Returns the branded parameters oauth4webapi requires for the code exchange. Throws
 * state_mismatch (forged/missing state, wrong issuer, wrong redirect), access_denied, or
 * provider_error with the provider's error name only.
 */
export function validateCallback(
  def: ProviderDefinition,
  clientId: string,
  callback: URL,
  request: AuthorizationRequest,
): URLSearchParams {
  if (def.errorPageUrl && callback.href.startsWith(def.errorPageUrl)) {
    throw authorizationError(def, callback.searchParams.get('oauth_exception') ?? 'unknown_error');
  }
  if (withoutQuery(callback) !== withoutQuery(new URL(request.redirectUri))) throw stateMismatch(def);
  const params = new URLSearchParams(callback.search);
  if (IGNORE_ISS_WITHOUT_CONFIGURED_ISSUER && def.issuer === undefined) params.delete('iss');
  checkCode(def, params, request.state);
  try {
    return oauth.validateAuthResponse(authorizationServer(def), { client_id: clientId }, params, request.state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) throw authorizationError(def, error.error);
    if (error instanceof oauth.OperationProcessingError) throw stateMismatch(def, error);
    throw new PatchbayError(
      'provider_error',
      `${def.name} sent back a sign-in answer Patchbay cannot use. {connect} to try again.`,
      { cause: error },
    );
  }
}

/** Step 3b: exchange the code, exactly once. */
export async function exchangeCode(
  ctx: HttpContext,
  def: ProviderDefinition,
  client: OAuthClient,
  params: URLSearchParams,
  request: AuthorizationRequest,
): Promise<TokenSet> {
  const as = authorizationServer(def);
  const c: oauth.Client = { client_id: client.clientId };
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      c,
      clientAuthFor(def, client),
      params,
      request.redirectUri,
      request.codeVerifier ?? oauth.nopkce,
      requestOptions(ctx, def, 'token', def.tokenUrl),
    );
    return toTokenSet(await oauth.processAuthorizationCodeResponse(as, c, response), ctx, def);
  } catch (error) {
    throw mapTokenError(def, error, 'exchange');
  }
}

/** Use a refresh token. The caller keeps the old refresh token when none comes back. */
export async function refreshTokenSet(
  ctx: HttpContext,
  def: ProviderDefinition,
  client: OAuthClient,
  refreshToken: string,
): Promise<TokenSet> {
  const as = authorizationServer(def);
  const c: oauth.Client = { client_id: client.clientId };
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      c,
      clientAuthFor(def, client),
      refreshToken,
      requestOptions(ctx, def, 'token', def.tokenUrl),
    );
    return toTokenSet(await oauth.processRefreshTokenResponse(as, c, response), ctx, def);
  } catch (error) {
    throw mapTokenError(def, error, 'refresh');
  }
}

/** A token answer as Patchbay keeps it: expiry as a time, scopes space-separated. */
export function toTokenSet(res: oauth.TokenEndpointResponse, ctx: HttpContext, def: ProviderDefinition): TokenSet {
  const out: TokenSet = { accessToken: res.access_token, tokenType: res.token_type };
  if (res.refresh_token) out.refreshToken = res.refresh_token;
  // A provider's number is bounded before it becomes a date (1e300 seconds is no date at all).
  const expiresIn = boundExpiresIn(res.expires_in, ctx.trace, def.name);
  if (expiresIn !== undefined) out.expiresAt = ctx.clock.now() + Math.round(expiresIn * 1000);
  // Already space-separated: the customFetch hook (quirks.ts) normalised the raw answer.
  if (res.scope !== undefined) out.scope = res.scope;
  if (res.id_token) out.idToken = res.id_token;
  return out;
}

/** Map anything the token endpoint (or our hook) threw to a PatchbayError. */
export function mapTokenError(def: ProviderDefinition, error: unknown, during: 'exchange' | 'refresh'): PatchbayError {
  if (error instanceof PatchbayError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    if (error.error === 'invalid_grant') {
      return during === 'refresh'
        ? new PatchbayError(
            'invalid_grant',
            `${def.name} no longer accepts this connection's sign-in. {reconnect} to sign in again.`,
            { httpStatus: error.status },
          )
        : new PatchbayError(
            'invalid_grant',
            `${def.name} did not accept the sign-in code (it may have expired). {connect} to try again.`,
            { httpStatus: error.status },
          );
    }
    if (error.error === 'invalid_client' || error.error === 'unauthorized_client')
      return invalidClient(def, error.status);
    return new PatchbayError(
      'provider_error',
      `${def.name} refused the token request (${errorName(error.error)}). Check the provider settings in Set up, then try again.`,
      { httpStatus: error.status },
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) return invalidClient(def, error.status);
  return new PatchbayError(
    'provider_error',
    `${def.name} sent a token answer Patchbay could not use. Check the token URL in Set up, or try again later.`,
    { cause: error },
  );
}

function authorizationError(def: ProviderDefinition, error: string): PatchbayError {
  if (error === 'access_denied') {
    return new PatchbayError(
      'access_denied',
      `You said no at ${def.name}, so nothing was connected. {connect} to try again.`,
    );
  }
  return new PatchbayError(
    'provider_error',
    `${def.name} stopped the sign-in (${errorName(error)}). Check the app's settings at ${def.name} and in Set up, then try again.`,
  );
}

/**
 * The answer to our own sign-in (right state, no error) must carry exactly one non-empty code.
 * Checked before oauth4webapi, which would otherwise report it as a state problem or let the
 * token request fail: no token request is made and the person hears what was wrong.
 */
function checkCode(def: ProviderDefinition, params: URLSearchParams, state: string): void {
  const states = params.getAll('state');
  if (states.length !== 1 || states[0] !== state || params.has('error')) return;
  const codes = params.getAll('code');
  if (codes.length === 1 && codes[0] !== '') return;
  const what = codes.length > 1 ? `${codes.length} authorization codes instead of one` : 'an empty authorization code';
  throw new PatchbayError(
    'provider_error',
    `${def.name} sent the sign-in answer back with ${what} (the "code" parameter), so no token was requested. {connect} to try again; if it happens again, check the Authorization URL in Set up.`,
    { field: 'code' },
  );
}

function stateMismatch(def: ProviderDefinition, cause?: unknown): PatchbayError {
  return new PatchbayError(
    'state_mismatch',
    `The answer from ${def.name} did not match the sign-in Patchbay started, so it was ignored for your safety. {connect} to try again.`,
    cause === undefined ? {} : { cause },
  );
}

/** A provider's error name, kept only if it looks like one (letters, digits, _ . -), never free text. */
export function errorName(value: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : 'unknown_error';
}

function withoutQuery(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
