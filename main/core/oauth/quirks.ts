/**
 * Real-world token endpoints, made to look like RFC 6749 before oauth4webapi reads them.
 *
 * oauth4webapi is strict (a good thing for state, PKCE and issuers). Providers are not: LiveChat
 * returns comma-separated scopes, some send `expires_in` as a string or omit `token_type`, some
 * only accept JSON bodies. This module is the customFetch hook that absorbs exactly those quirks
 * (and routes every call through providerFetch for timeouts, size limits and the trace) while
 * leaving the security checks to the library.
 */
import type { CustomFetchOptions } from 'oauth4webapi';
import { PatchbayError } from '../model/errors';
import { providerFetch, type HttpContext } from '../providers/provider-http';
import type { ProviderDefinition } from '../../../preload/contract';

/** The shape oauth4webapi hands to a customFetch hook for POST endpoints. */
export type OAuthFetch = (url: string, options: CustomFetchOptions<'POST', URLSearchParams>) => Promise<Response>;

/** token: the token endpoint; device: the device authorization endpoint (RFC 8628 §3.1). */
export type EndpointKind = 'token' | 'revocation' | 'device';

const STEPS: Record<EndpointKind, { step: string; field: string }> = {
  token: { step: 'token_request', field: 'tokenUrl' },
  revocation: { step: 'revocation_request', field: 'revocationUrl' },
  device: { step: 'device_authorization', field: 'deviceAuthorizationUrl' },
};

/**
 * Build the customFetch hook for one provider and endpoint.
 *
 * - JSON request bodies when the definition says `tokenRequestFormat: "json"`.
 * - 429/5xx/network/timeouts become PatchbayErrors in providerFetch (never retried).
 * - A 401 from the token endpoint means the client credentials were refused.
 * - 4xx answers that are not OAuth JSON errors become a plain provider_error.
 * - 2xx token answers are normalised (see normalizeTokenResponse).
 */
export function createOAuthFetch(ctx: HttpContext, definition: ProviderDefinition, kind: EndpointKind): OAuthFetch {
  return async (url, options) => {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | URLSearchParams = options.body;
    if (definition.tokenRequestFormat === 'json') {
      body = JSON.stringify(Object.fromEntries(options.body.entries()));
      headers['content-type'] = 'application/json';
    }
    const res = await providerFetch(ctx, {
      url,
      method: options.method,
      headers,
      body,
      ...STEPS[kind],
      redirect: 'manual',
      expectJson: kind !== 'revocation',
    });
    if (res.status === 401 && kind !== 'revocation') throw invalidClient(definition, 401);
    const plainHeaders = { 'content-type': 'application/json' };
    if (res.status >= 400) {
      const error = readOAuthError(res.json);
      if (error === undefined) {
        throw new PatchbayError(
          'provider_error',
          `${definition.name} refused the request (HTTP ${res.status}) without saying why. Check the provider's URLs in Set up.`,
          { httpStatus: res.status },
        );
      }
      // Only the error object goes on: no WWW-Authenticate or other headers oauth4webapi would act on.
      return new Response(JSON.stringify(error), { status: res.status, headers: plainHeaders });
    }
    if (kind === 'revocation') return new Response(null, { status: res.status === 204 ? 200 : res.status });
    if (kind === 'device') {
      // Read (and size-bounded) by providerFetch; device-code.ts checks every value before use.
      if (res.status !== 200)
        throw new PatchbayError(
          'provider_error',
          `${definition.name} answered the device code request with HTTP ${res.status} instead of a code. Check the Device authorization endpoint in Set up.`,
          { httpStatus: res.status, field: 'deviceAuthorizationUrl' },
        );
      return new Response(JSON.stringify(res.json), { status: 200, headers: plainHeaders });
    }
    if (res.status !== 200) {
      throw new PatchbayError(
        'provider_error',
        `${definition.name} answered the token request with HTTP ${res.status} instead of tokens. Check the token URL in Set up.`,
        { httpStatus: res.status },
      );
    }
    const normalized = normalizeTokenResponse(res.json, definition);
    return new Response(JSON.stringify(normalized), { status: 200, headers: plainHeaders });
  };
}

/**
 * Make a real-world token answer RFC-shaped.
 *
 * Missing token_type -> "bearer"; comma-separated scope -> space-separated (the one place scopes
 * are split; oauth4webapi itself already reads a string expires_in as a number). An id_token is dropped when the definition names no issuer: Patchbay does not
 * use it, and without an issuer it cannot be validated.
 */
export function normalizeTokenResponse(json: unknown, definition: ProviderDefinition): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new PatchbayError(
      'provider_error',
      `${definition.name} sent a token answer Patchbay could not read. Try again later, or check the token URL in Set up.`,
    );
  }
  const out: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  if (out.token_type === undefined || out.token_type === null || out.token_type === '') out.token_type = 'bearer';
  if (typeof out.scope === 'string') out.scope = splitScopes(out.scope).join(' ');
  if (Array.isArray(out.scope)) out.scope = out.scope.filter((s) => typeof s === 'string').join(' ');
  if (definition.issuer === undefined && out.id_token !== undefined) delete out.id_token;
  return out;
}

/** Split a scope string on spaces and/or commas. */
export function splitScopes(scope: string | undefined): string[] {
  if (!scope) return [];
  return scope.split(/[\s,]+/).filter((s) => s.length > 0);
}

function readOAuthError(json: unknown): { error: string } | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const error = (json as Record<string, unknown>).error;
  if (typeof error !== 'string' || error.length === 0 || error.length > 100) return undefined;
  return { error };
}

/** The sentence for refused client credentials, shared by the token and revocation paths. */
export function invalidClient(definition: ProviderDefinition, httpStatus?: number): PatchbayError {
  return new PatchbayError(
    'invalid_client',
    `${definition.name} did not accept the client ID or secret. Check them in Set up.`,
    { field: 'clientId', ...(httpStatus === undefined ? {} : { httpStatus }) },
  );
}
