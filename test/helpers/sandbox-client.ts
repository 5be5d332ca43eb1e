/**
 * A bare OAuth client for testing the Sandbox server itself, in plain fetch.
 *
 * The Sandbox tests check the server's wire behaviour (PKCE required, rotation, revocation), so
 * they speak the protocol directly here rather than through Patchbay's engine.
 */
import { createHash, randomBytes } from 'node:crypto';

export const CLIENT_ID = 'patchbay-desktop';

export interface AuthorizationStart {
  url: URL;
  verifier: string;
  state: string;
  redirectUri: string;
}

export interface AuthorizationOptions {
  redirectUri?: string;
  scope?: string;
  /** false: send no code_challenge at all. */
  pkce?: boolean;
  challengeMethod?: string;
  prompt?: string;
}

/** Build an authorization URL with a fresh state and PKCE verifier. */
export function startAuthorization(issuer: string, options: AuthorizationOptions = {}): AuthorizationStart {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:51234/callback';
  const url = new URL(`${issuer}/auth`);
  url.searchParams.set('client_id', CLIENT_ID);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', options.scope ?? 'openid profile email offline_access');
  url.searchParams.set('state', state);
  url.searchParams.set('prompt', options.prompt ?? 'consent');
  if (options.pkce !== false) {
    const method = options.challengeMethod ?? 'S256';
    const challenge = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', method);
  }
  return { url, verifier, state, redirectUri };
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

async function postForm(url: string, params: Record<string, string>): Promise<TokenResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(params),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export function exchangeCode(
  issuer: string,
  code: string,
  start: AuthorizationStart,
  verifier = start.verifier,
): Promise<TokenResponse> {
  const params: Record<string, string> = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: start.redirectUri,
    client_id: CLIENT_ID,
  };
  if (verifier) params.code_verifier = verifier;
  return postForm(`${issuer}/token`, params);
}

export function refreshGrant(issuer: string, refreshToken: string): Promise<TokenResponse> {
  return postForm(`${issuer}/token`, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: CLIENT_ID,
  });
}

export function revokeToken(issuer: string, token: string, hint?: string): Promise<TokenResponse> {
  const params: Record<string, string> = { token, client_id: CLIENT_ID };
  if (hint) params.token_type_hint = hint;
  return postForm(`${issuer}/token/revocation`, params);
}

export async function userinfo(issuer: string, accessToken: string): Promise<TokenResponse> {
  const response = await fetch(`${issuer}/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
